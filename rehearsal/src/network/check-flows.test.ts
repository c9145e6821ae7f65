import { describe, expect, it } from 'vitest';
import { expandObjects } from '../expand/expand.js';
import type { ClusterObject, K8sObject, Scenario } from '../model.js';
import { checkFlows, flowName, reportFlows, scenarioPods } from './check-flows.js';
import type { Flow, FlowEndpoint } from './flow-matrix.js';
import { networkCheck } from './index.js';

const rendered = (object: K8sObject): ClusterObject => ({
  object,
  origin: { kind: 'rendered', path: 'x.yaml' },
});

const policy = (name: string, spec: Record<string, unknown>): ClusterObject =>
  rendered({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name }, spec });

/** A pod as the controller expansion creates it (built here: these tests are about policies). */
const pod = (name: string, ports: { name: string; containerPort: number }[] = []): ClusterObject => ({
  object: {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name } },
    spec: { containers: [{ name, ports }] },
  },
  origin: { kind: 'expanded', controller: 'deployment', parent: `ReplicaSet/shop/${name}`, rule: 'test' },
});

const DENY_ALL = policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

function scenario(name: string, ...objects: ClusterObject[]): Scenario {
  return { name, namespace: 'shop', objects };
}

const pods = (name: string): FlowEndpoint => ({ pods: { name, labels: { app: name } } });
const allowed = (from: FlowEndpoint, to: FlowEndpoint, port: number | string): Flow => ({
  from,
  to,
  port,
  expect: 'allowed',
  in: 'all',
  why: 'test',
});

const web = pod('web');
const api = pod('api', [{ name: 'http', containerPort: 8080 }]);

describe('checkFlows', () => {
  it('names the side that blocks a flow that must get through', () => {
    const findings = checkFlows(scenario('dev', web, api, DENY_ALL), [
      allowed(pods('web'), pods('api'), 'http'),
    ]);
    expect(findings).toEqual([
      {
        check: 'network',
        severity: 'error',
        subject: 'Pod/shop/web',
        message:
          'web → api:http blocked: egress from shop/web not allowed by any NetworkPolicy selecting it; ' +
          'ingress to shop/api not allowed by any NetworkPolicy selecting it',
      },
    ]);
  });

  it('passes once both sides allow it, and reports only the side still closed', () => {
    const egress = policy('web', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 'http' }] }],
    });
    const ingress = policy('api', {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }],
    });
    const flows = [allowed(pods('web'), pods('api'), 'http')];
    expect(checkFlows(scenario('dev', web, api, DENY_ALL, egress), flows).map((f) => f.message)).toEqual([
      'web → api:http blocked: ingress to shop/api not allowed by any NetworkPolicy selecting it',
    ]);
    expect(checkFlows(scenario('dev', web, api, DENY_ALL, egress, ingress), flows)).toEqual([]);
  });

  it('a flow that must be blocked names what lets it through', () => {
    const flow: Flow = { ...allowed(pods('web'), pods('api'), 8080), expect: 'blocked' };
    expect(checkFlows(scenario('dev', web, api), [flow]).map((f) => f.message)).toEqual([
      'web → api:8080 allowed, must be blocked: egress from shop/web not isolated by any NetworkPolicy; ' +
        'ingress to shop/api not isolated by any NetworkPolicy',
    ]);
    expect(checkFlows(scenario('dev', web, api, DENY_ALL), [flow])).toEqual([]);
  });

  it('fails closed on pods it cannot find, a port name no container has, and a policy it cannot read', () => {
    const messages = (s: Scenario, f: Flow) => checkFlows(s, [f]).map((x) => `${x.subject}: ${x.message}`);
    expect(messages(scenario('dev', web), allowed(pods('web'), pods('api'), 80))).toEqual([
      'Flow/shop/web → api:80: web → api:80 cannot be evaluated: no pod in shop matches app=api',
    ]);
    expect(messages(scenario('dev', web, api), allowed(pods('api'), pods('web'), 'http'))).toEqual([
      'Pod/shop/web: api → web:http cannot be evaluated: no TCP container port named http on shop/web',
    ]);
    const internet: FlowEndpoint = { address: { name: 'internet', address: '203.0.113.10' } };
    expect(messages(scenario('dev', web), allowed(pods('web'), internet, 'https'))).toEqual([
      'Address/203.0.113.10: web → internet:https cannot be evaluated: a port name (https) needs a pod, not 203.0.113.10',
    ]);
    const nowhere: FlowEndpoint = { address: { name: 'nowhere', address: 'example.com' } };
    expect(messages(scenario('dev', web), allowed(pods('web'), nowhere, 443))).toEqual([
      'Flow/shop/web → nowhere:443: web → nowhere:443 cannot be evaluated: "example.com" is not an IP address',
    ]);
    const broken = policy('broken', { podSelector: {}, ingress: [{ from: [{}] }] });
    expect(messages(scenario('dev', web, api, broken), allowed(pods('web'), pods('api'), 80))).toEqual([
      'NetworkPolicy/shop/broken: spec.ingress[0].from[0]: a peer needs podSelector, namespaceSelector or ipBlock',
    ]);
  });

  it('holds a flow only in the scenarios it names, and only when its `when` object is there', () => {
    const flow = allowed(pods('web'), pods('api'), 80);
    const closed = (name: string, f: Flow, ...extra: ClusterObject[]) =>
      checkFlows(scenario(name, web, api, DENY_ALL, ...extra), [f]).length;
    expect(closed('preview', { ...flow, in: 'environments' })).toBe(0);
    expect(closed('prod', { ...flow, in: 'environments' })).toBe(1);
    expect(closed('prod', { ...flow, in: 'preview' })).toBe(0);
    const keda = (type: string) =>
      rendered({
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name: 'w' },
        spec: { triggers: [{ type }] },
      });
    const when = { ...flow, when: { kind: 'ScaledObject', triggerType: 'postgresql' } };
    expect(closed('prod', when)).toBe(0);
    expect(closed('prod', when, keda('cron'))).toBe(0);
    expect(closed('prod', when, keda('postgresql'))).toBe(1);
    expect(closed('prod', { ...flow, when: { kind: 'ScaledObject' } }, keda('cron'))).toBe(1);
  });

  it('external pods take the namespace and labels the matrix gives; Namespace objects add labels', () => {
    const prometheus: FlowEndpoint = {
      pods: {
        name: 'Prometheus',
        namespace: 'monitoring',
        labels: { app: 'prometheus' },
        external: { source: 'chart', ports: [] },
      },
    };
    const fromMonitoring = policy('api', {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'observability' } } }] }],
    });
    const namespace = rendered({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'monitoring', labels: { team: 'observability' } },
    });
    const flow = allowed(prometheus, pods('api'), 'http');
    expect(checkFlows(scenario('dev', api, DENY_ALL, fromMonitoring), [flow]).map((f) => f.message)).toEqual([
      'Prometheus → api:http blocked: ingress to shop/api not allowed by any NetworkPolicy selecting it',
    ]);
    expect(checkFlows(scenario('dev', api, DENY_ALL, fromMonitoring, namespace), [flow])).toEqual([]);
  });

  it('names flows with their port and a non-TCP protocol', () => {
    expect(flowName({ ...allowed(pods('a'), pods('b'), 53), protocol: 'UDP' })).toBe('a → b:53/UDP');
    expect(flowName(allowed(pods('a'), pods('b'), 'http'))).toBe('a → b:http');
  });
});

describe('the pods it plays', () => {
  const deployment = rendered({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', ports: [{ name: 'http', containerPort: 8080 }] }] },
      },
    },
  });

  it('reads the Pods the controller expansion created, with their labels and ports', () => {
    const expanded = scenario('dev', ...expandObjects([deployment]).objects);
    const pods = scenarioPods(expanded);
    expect(pods).toHaveLength(1);
    expect(pods[0]).toMatchObject({
      namespace: 'shop',
      labels: { app: 'web' },
      ports: [{ name: 'http', containerPort: 8080 }],
    });
    expect(pods[0]?.name).toMatch(/^web-/);
  });

  it('fails closed on workloads without expansion, and derives no pod from their templates', () => {
    const flows = [allowed(pods('web'), pods('api'), 80)];
    expect(scenarioPods(scenario('dev', deployment))).toEqual([]);
    expect(checkFlows(scenario('dev', deployment, DENY_ALL), flows)).toEqual([
      {
        check: 'network',
        severity: 'error',
        subject: 'Scenario/dev',
        message:
          'Deployment/shop/web runs pods, but the scenario holds no Pod: build it with buildScenarios (or run expandObjects) first; the network check reads the Pods the controller expansion creates and derives none',
      },
    ]);
    // No workload at all: no pods to miss; a flow that needs pods fails on the ones it lacks.
    expect(checkFlows(scenario('dev', DENY_ALL), flows).map((f) => f.message)).toEqual([
      'web → api:80 cannot be evaluated: no pod in shop matches app=web; no pod in shop matches app=api',
    ]);
  });
});

describe('networkCheck', () => {
  it('without a flow matrix it fails closed', () => {
    expect(networkCheck().run(scenario('dev'))).toEqual([
      {
        check: 'network',
        severity: 'error',
        subject: 'Scenario/dev',
        message:
          'no flow matrix: the orchestrator must pass options.flows (docs/rehearsal.md §Network reachability)',
      },
    ]);
  });
  it('with one it checks the flows', () => {
    const check = networkCheck({ flows: [allowed(pods('web'), pods('api'), 80)] });
    expect(check.name).toBe('network');
    expect(check.run(scenario('dev', web, api))).toEqual([]);
  });
});

describe('reportFlows', () => {
  it('prints one line per flow: what lets it through, what stops it, or the finding', () => {
    const open = policy('web', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }] }],
    });
    const flows: Flow[] = [
      allowed(pods('web'), pods('api'), 'http'),
      { ...allowed(pods('api'), pods('web'), 80), expect: 'blocked' },
      allowed(pods('api'), pods('api'), 80),
      allowed(pods('api'), pods('web'), 80),
    ];
    expect(reportFlows(scenario('dev', web, api, DENY_ALL, open), flows)).toBe(
      [
        'dev (shop): 4 flows, 2 failing',
        '  FAIL web → api:http blocked: ingress to shop/api not allowed by any NetworkPolicy selecting it',
        '  ok   api → web:80 (must not reach) egress closed (shop/default-deny) · ingress closed (shop/default-deny)',
        '  ok   api → api:80 (must reach) vacuous: no two distinct pods to connect',
        '  FAIL api → web:80 blocked: egress from shop/api not allowed by any NetworkPolicy selecting it; ingress to shop/web not allowed by any NetworkPolicy selecting it',
      ].join('\n'),
    );
    expect(reportFlows(scenario('dev', web, api), [allowed(pods('web'), pods('api'), 'http')])).toBe(
      'dev (shop): 1 flows, 0 failing\n  ok   web → api:http (must reach) egress: not isolated · ingress: not isolated',
    );
    const broken = policy('broken', { podSelector: {}, policyTypes: ['Sideways'] });
    expect(reportFlows(scenario('dev', broken), flows)).toBe(
      'dev (shop): 0 flows, 1 failing\n  FAIL NetworkPolicy/shop/broken: spec.policyTypes.0: Invalid option: expected one of "Ingress"|"Egress"',
    );
  });
});
