/**
 * The catalogue's flow matrix over the committed gitops/ tree, and one regression test per
 * class of defect the network check found (docs/rehearsal.md §Network reachability).
 */
import { networkCheck, type Scenario } from '@payday/rehearsal';
import { committedScenario as gitopsScenario } from '@payday/rehearsal/testing';
import { describe, expect, it } from 'vitest';
import { FLOWS } from './flows.js';

const check = networkCheck({ flows: FLOWS });
const messages = (scenario: Scenario) => check.run(scenario).map((f) => `${f.subject}: ${f.message}`);

describe('FLOWS over the committed gitops/ tree', () => {
  it.each(['dev', 'staging', 'prod', 'preview'] as const)('%s', (env) => {
    expect(messages(gitopsScenario(env))).toEqual([]);
  });
});

type Spec = {
  podSelector?: unknown;
  ingress?: { from?: Record<string, unknown>[]; ports?: unknown[] }[];
  egress?: { to?: Record<string, unknown>[]; ports?: unknown[] }[];
};

/** The committed scenario with one NetworkPolicy changed (or removed, when `change` returns null). */
function withPolicy(env: 'prod' | 'preview', name: string, change: (spec: Spec) => Spec | null): Scenario {
  const scenario = structuredClone(gitopsScenario(env));
  const index = scenario.objects.findIndex(
    (o) => o.object.kind === 'NetworkPolicy' && o.object.metadata.name === name,
  );
  const entry = scenario.objects[index];
  if (!entry) throw new Error(`no NetworkPolicy ${name} in ${env}`);
  const spec = change(entry.object.spec as Spec);
  if (spec === null) scenario.objects.splice(index, 1);
  else entry.object.spec = spec;
  return scenario;
}

/**
 * The first Pod the expansion created for a workload: findings name the real pod, whose
 * pod-template-hash changes with the template, so the tests look the name up.
 */
function podOf(scenario: Scenario, workload: string): string {
  const pod = scenario.objects.find(
    (o) => o.object.kind === 'Pod' && o.object.metadata.name.startsWith(`${workload}-`),
  );
  if (!pod) throw new Error(`no Pod of ${workload} in ${scenario.name}`);
  return pod.object.metadata.name;
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'];
const collector = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } };

describe('regressions: each defect class the network check found, reintroduced', () => {
  it('a preview app reaching the collector outside its namespace', () => {
    const scenario = withPolicy('preview', 'api', (spec) => ({
      ...spec,
      egress: [...(spec.egress ?? []), { to: [collector], ports: [{ protocol: 'TCP', port: 4318 }] }],
    }));
    expect(messages(scenario)).toEqual([
      `Pod/pr-1/${podOf(scenario, 'api')}: every pod → OpenTelemetry collector:4318 allowed, must be blocked: egress from pr-1/${podOf(scenario, 'api')} allowed by NetworkPolicy pr-1/api; ingress to observability/OpenTelemetry collector not isolated by any NetworkPolicy`,
    ]);
  });

  it('a preview worker reaching the internet', () => {
    const scenario = withPolicy('preview', 'worker', (spec) => ({
      ...spec,
      egress: [...(spec.egress ?? []), { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE_RANGES } }] }],
    }));
    expect(messages(scenario)).toEqual([
      `Pod/pr-1/${podOf(scenario, 'worker')}: worker → internet:443 allowed, must be blocked: egress from pr-1/worker allowed by NetworkPolicy pr-1/worker`,
    ]);
  });
});

describe('guards: the flows each environment needs', () => {
  it('api egress to the database dropped', () => {
    const scenario = withPolicy('prod', 'api', (spec) => ({ ...spec, egress: spec.egress?.slice(1) }));
    expect(messages(scenario)).toEqual([
      `Pod/payday-prod/${podOf(scenario, 'api')}: api → database:5432 blocked: egress from payday-prod/api not allowed by any NetworkPolicy selecting it`,
    ]);
  });

  it('the migration Job’s policy missing: default-deny still selects it', () => {
    const scenario = withPolicy('prod', 'db-migrate', () => null);
    expect(messages(scenario)).toEqual([
      `Pod/payday-prod/${podOf(scenario, 'db-migrate')}: migration → database:5432 blocked: egress from payday-prod/migration not allowed by any NetworkPolicy selecting it`,
    ]);
  });

  it('KEDA’s namespace left out of the database’s ingress', () => {
    const scenario = withPolicy('prod', 'payday-db', (spec) => ({
      ...spec,
      ingress: spec.ingress?.map((rule) => ({
        ...rule,
        from: rule.from?.filter((p) => !JSON.stringify(p).includes('keda')),
      })),
    }));
    expect(messages(scenario)).toEqual([
      'Pod/payday-prod/payday-db-1: KEDA operator → database:5432 blocked: ingress to payday-prod/database not allowed by any NetworkPolicy selecting it',
    ]);
  });

  it('a policy whose pod selector no longer matches its pods (label drift)', () => {
    const scenario = withPolicy('prod', 'frontend', (spec) => ({
      ...spec,
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'dashboard' } },
    }));
    expect(messages(scenario)).toEqual([
      `Pod/payday-prod/${podOf(scenario, 'frontend')}: frontend → api:http blocked: egress from payday-prod/frontend not allowed by any NetworkPolicy selecting it`,
      `Pod/payday-prod/${podOf(scenario, 'frontend')}: frontend → OpenTelemetry collector:4318 blocked: egress from payday-prod/frontend not allowed by any NetworkPolicy selecting it`,
      `Pod/payday-prod/${podOf(scenario, 'frontend')}: Prometheus → frontend:http blocked: ingress to payday-prod/frontend not allowed by any NetworkPolicy selecting it`,
    ]);
  });

  it('the worker’s private-range exceptions dropped (SSRF to cloud metadata)', () => {
    const scenario = withPolicy('prod', 'worker', (spec) => ({
      ...spec,
      egress: spec.egress?.map((rule) =>
        rule.to?.some((p) => 'ipBlock' in p) ? { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] } : rule,
      ),
    }));
    expect(messages(scenario)).toEqual([
      `Pod/payday-prod/${podOf(scenario, 'worker')}: worker → cloud metadata:80 allowed, must be blocked: egress from payday-prod/worker allowed by NetworkPolicy payday-prod/worker`,
    ]);
  });

  it('the frontend given a way to the database', () => {
    const toDb = { to: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': 'payday-db' } } }] };
    const opened = withPolicy('prod', 'frontend', (spec) => ({
      ...spec,
      egress: [...(spec.egress ?? []), toDb],
    }));
    const both = structuredClone(opened);
    const db = both.objects.find(
      (o) => o.object.kind === 'NetworkPolicy' && o.object.metadata.name === 'payday-db',
    );
    const dbSpec = db?.object.spec as Spec;
    dbSpec.ingress = [...(dbSpec.ingress ?? []), { from: [{ podSelector: {} }] }];
    expect(messages(opened)).toEqual([]);
    expect(messages(both)).toEqual([
      `Pod/payday-prod/${podOf(both, 'frontend')}: frontend → database:5432 allowed, must be blocked: egress from payday-prod/frontend allowed by NetworkPolicy payday-prod/frontend; ingress to payday-prod/database allowed by NetworkPolicy payday-prod/payday-db`,
    ]);
  });
});
