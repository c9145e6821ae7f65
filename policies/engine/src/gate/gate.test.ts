import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/gate.js';
import type { KubeObject } from '../kube/objects.js';
import { formatJson, formatJunit, formatMarkdown, formatTable } from './format.js';
import { gateMemo, loadRepositoryPolicies, runGate } from './gate.js';
import { readGitopsTree } from './gitops-tree.js';
import type { GateEnvironment } from './types.js';

const ROOT = resolve(import.meta.dirname, '../../../..');
const POLICIES = join(ROOT, 'policies');
const policySet = loadRepositoryPolicies(POLICIES);
const NOW = new Date('2026-11-21T00:00:00Z');

const digest = `ghcr.io/payday/api@sha256:${'7'.repeat(64)}`;
const labels = {
  'app.kubernetes.io/name': 'api',
  'app.kubernetes.io/part-of': 'payday',
  'payday.dev/environment': 'prod',
  'payday.dev/owner': 'payments',
};

/** A small prod environment that passes every policy. */
function prodObjects(image = digest, privileged = false): KubeObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'payday-prod', labels: { 'payday.dev/environment': 'prod' } },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: 'payday-prod' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'payday-prod', labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'api' } },
        template: {
          metadata: { labels: { app: 'api' } },
          spec: {
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'api',
                image,
                securityContext: {
                  privileged,
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ['ALL'] },
                },
                resources: {
                  requests: { cpu: '100m', memory: '128Mi' },
                  limits: { cpu: '1', memory: '256Mi' },
                },
                readinessProbe: { httpGet: { path: '/readyz', port: 3000 } },
                livenessProbe: { httpGet: { path: '/healthz', port: 3000 } },
              },
            ],
          },
        },
      },
    },
  ];
}

const env = (objects: KubeObject[], name = 'prod'): GateEnvironment => ({
  name,
  objects: objects.map((object) => ({
    path: `gitops/${name}/api/${object.kind}-${object.metadata.name}.yaml`,
    object,
  })),
});

const gate = (envs: GateEnvironment[]) => runGate(envs, { policiesDir: POLICIES, policySet, now: NOW });

const exception = (annotations: Record<string, string>): KubeObject => ({
  apiVersion: 'policies.kyverno.io/v1',
  kind: 'PolicyException',
  metadata: { name: 'legacy-image', namespace: 'payday-prod', annotations },
  spec: {
    policyRefs: [{ name: 'disallow-latest-tag', kind: 'ValidatingPolicy' }],
    matchConditions: [{ name: 'api-only', expression: "object.metadata.name == 'api'" }],
  },
});

describe('policy gate', () => {
  it('passes a compliant environment', () => {
    const report = gate([env(prodObjects())]);
    expect(report.environments[0]!.findings).toEqual([]);
    expect(report).toMatchObject({ exitCode: 0, passed: true, denials: 0 });
  });

  it('fails on a :latest image in prod and a privileged container, naming file and message', () => {
    const report = gate([env(prodObjects('ghcr.io/payday/api:latest', true))]);
    expect(report.exitCode).toBe(1);
    const byPolicy = Object.fromEntries(report.environments[0]!.findings.map((f) => [f.policy, f]));
    expect(byPolicy['disallow-latest-tag']).toMatchObject({
      severity: 'deny',
      resource: 'Deployment/payday-prod/api',
      file: 'gitops/prod/api/Deployment-api.yaml',
      message: 'images must not use the latest tag (or no tag): ghcr.io/payday/api:latest',
    });
    expect(byPolicy['require-image-digest']!.message).toBe(
      'images must be pinned by sha256 digest: ghcr.io/payday/api:latest',
    );
    expect(byPolicy['pod-security-restricted']!.message).toContain('Privileged containers are not allowed');
  });

  it('fails on a plain Secret', () => {
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'payday-prod' },
    };
    const report = gate([env([...prodObjects(), secret])]);
    expect(report.environments[0]!.findings.map((f) => [f.policy, f.severity])).toEqual([
      ['disallow-plain-secrets', 'deny'],
    ]);
  });

  it('waives with a valid PolicyException and stops waiving once it expired', () => {
    const valid = exception({
      'payday.dev/owner': 'payments',
      'payday.dev/reason': 'vendor image',
      'payday.dev/expires': '2026-12-31',
    });
    const objects = [...prodObjects('ghcr.io/payday/api:latest'), valid];
    const findings = gate([env(objects)]).environments[0]!.findings;
    expect(findings.find((f) => f.policy === 'disallow-latest-tag')).toMatchObject({
      severity: 'waived',
      exception: 'payday-prod/legacy-image',
    });

    const expired = exception({
      'payday.dev/owner': 'payments',
      'payday.dev/reason': 'vendor image',
      'payday.dev/expires': '2026-11-01',
    });
    const report = gate([env([...prodObjects('ghcr.io/payday/api:latest'), expired])]);
    expect(report.environments[0]!.findings.find((f) => f.policy === 'disallow-latest-tag')!.severity).toBe(
      'deny',
    );
    expect(report.notes).toEqual([
      'PolicyException payday-prod/legacy-image (owner payments) expired on 2026-11-01: it no longer waives disallow-latest-tag',
    ]);
  });

  it('with a memo, runs over the same entries normalise each once and report as without it', () => {
    const valid = exception({
      'payday.dev/owner': 'payments',
      'payday.dev/reason': 'vendor image',
      'payday.dev/expires': '2026-12-31',
    });
    const shared = env([...prodObjects('ghcr.io/payday/api:latest', true), valid]).objects;
    const envs = (): GateEnvironment[] => [
      { name: 'prod', objects: shared },
      { name: 'again', objects: shared },
    ];
    const memo = gateMemo();
    const first = runGate(envs(), { policiesDir: POLICIES, policySet, now: NOW, memo });
    const normalized = shared.map((e) => memo.normalized.get(e));
    const compiled = memo.exceptions.get(shared.at(-1)!);
    const second = runGate(envs(), { policiesDir: POLICIES, policySet, now: NOW, memo });
    expect(normalized.every((o) => o !== undefined)).toBe(true);
    expect(shared.map((e) => memo.normalized.get(e))).toEqual(normalized);
    expect(shared.every((e, i) => memo.normalized.get(e) === normalized[i])).toBe(true);
    expect(compiled).toMatchObject({ ref: 'payday-prod/legacy-image' });
    expect(memo.exceptions.get(shared.at(-1)!)).toBe(compiled);
    const plain = runGate(envs(), { policiesDir: POLICIES, policySet, now: NOW });
    expect(first).toEqual(plain);
    expect(second).toEqual(plain);
    expect(plain.environments[0]!.findings.find((f) => f.policy === 'disallow-latest-tag')!.severity).toBe(
      'waived',
    );
  });

  it('rejects a PolicyException without owner, reason or expiry as a failure that waives nothing', () => {
    const report = gate([
      env([...prodObjects('ghcr.io/payday/api:latest'), exception({ 'payday.dev/expires': 'soon' })]),
    ]);
    expect(report.exitCode).toBe(1);
    const invalid = report.environments[0]!.findings.find((f) => f.severity === 'exception')!;
    expect(invalid.message).toBe(
      'PolicyException payday-prod/legacy-image is not a valid waiver: no owner (annotation payday.dev/owner); ' +
        'no reason (annotation payday.dev/reason); expiry "soon" is not a date (use YYYY-MM-DD or RFC 3339)',
    );
    expect(
      report.environments[0]!.findings.some(
        (f) => f.policy === 'disallow-latest-tag' && f.severity === 'deny',
      ),
    ).toBe(true);
  });

  it('announces an exception about to expire, and rejects one naming an unknown policy', () => {
    const soon = exception({
      'payday.dev/owner': 'payments',
      'payday.dev/reason': 'vendor image',
      'payday.dev/expires': '2026-11-25',
    });
    const report = gate([env([...prodObjects('ghcr.io/payday/api:latest'), soon])]);
    expect(report.environments[0]!.findings.find((f) => f.policy === 'disallow-latest-tag')!.severity).toBe(
      'waived',
    );
    expect(report.notes).toEqual([
      'PolicyException payday-prod/legacy-image (owner payments) expires on 2026-11-25 (4 days left): fix the cause or renew it with a reason',
    ]);
    const typo = exception({
      'payday.dev/owner': 'payments',
      'payday.dev/reason': 'r',
      'payday.dev/expires': '2027-01-01',
    });
    (typo.spec as { policyRefs: { name: string }[] }).policyRefs = [{ name: 'disallow-latest-tags' }];
    const rejected = gate([env([...prodObjects(), typo])]);
    expect(rejected.exitCode).toBe(1);
    expect(rejected.environments[0]!.findings[0]!.message).toContain(
      'refers to unknown policy disallow-latest-tags',
    );
  });

  it('fails closed (exit 2) on a kind it cannot map', () => {
    const widget: KubeObject = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'payday-prod' },
    };
    const report = gate([env([...prodObjects(), widget])]);
    expect(report.exitCode).toBe(2);
    expect(report.environments[0]!.findings[0]!.message).toContain('cannot map kind Widget');
  });

  it('formats table, json, junit and markdown', () => {
    const report = gate([env(prodObjects('ghcr.io/payday/api:latest'))]);
    expect(formatTable(report)).toContain('== prod: 3 objects');
    expect(formatTable(report)).toMatch(/gate: FAIL \(\d+ policies, 3 objects, 2 denials, 0 errors\)/);
    expect(JSON.parse(formatJson(report)).exitCode).toBe(1);
    expect(formatJunit(report)).toContain('<failure message="images must not use the latest tag');
    expect(formatMarkdown(report)).toContain('| DENY | disallow-latest-tag | Deployment/payday-prod/api |');
  });
});

describe('gate over the committed gitops/', () => {
  const gitops = join(ROOT, 'gitops');
  // Until the renderer has committed gitops/, there is nothing to judge here.
  const rendered =
    existsSync(gitops) && readdirSync(gitops, { withFileTypes: true }).some((e) => e.isDirectory());

  it.runIf(rendered)('passes every Deny policy', () => {
    const report = runGate(readGitopsTree(gitops, ROOT), { policiesDir: POLICIES, policySet });
    const blocking = report.environments
      .flatMap((e) => e.findings)
      .filter((f) => ['deny', 'error', 'exception'].includes(f.severity));
    expect(blocking.map((f) => `${f.environment} ${f.policy} ${f.resource}: ${f.message}`)).toEqual([]);
  });

  it.runIf(rendered)(
    'fails a copy with a :latest image in prod, a privileged container and a plain Secret',
    () => {
      const copy = mkdtempSync(join(tmpdir(), 'gate-copy-'));
      cpSync(gitops, join(copy, 'gitops'), { recursive: true });
      const prod = readGitopsTree(join(copy, 'gitops')).find((e) => e.name === 'prod');
      const ns =
        prod?.objects.find((o) => o.object.kind === 'Namespace')?.object.metadata.name ?? 'payday-prod';
      mkdirSync(join(copy, 'gitops', 'prod', 'injected'), { recursive: true });
      const [deployment] = prodObjects('ghcr.io/payday/api:latest', true).filter(
        (o) => o.kind === 'Deployment',
      );
      deployment!.metadata.namespace = ns;
      writeFileSync(join(copy, 'gitops', 'prod', 'injected', 'deployment.yaml'), JSON.stringify(deployment));
      writeFileSync(
        join(copy, 'gitops', 'prod', 'injected', 'secret.yaml'),
        `apiVersion: v1\nkind: Secret\nmetadata: { name: injected, namespace: ${ns} }\nstringData: { password: x }\n`,
      );
      const cli = spawnSync(
        'npx',
        [
          'tsx',
          join(ROOT, 'policies/engine/src/cli/gate.ts'),
          '--gitops',
          join(copy, 'gitops'),
          '--format',
          'json',
        ],
        {
          encoding: 'utf8',
        },
      );
      expect(cli.status).toBe(1);
      const findings: { policy: string; file: string; message: string; severity: string }[] = JSON.parse(
        cli.stdout,
      ).environments.find((e: { name: string }) => e.name === 'prod').findings;
      const injected = findings.filter(
        (f) => f.file.startsWith('gitops/prod/injected/') && f.severity === 'deny',
      );
      expect(injected).toContainEqual(
        expect.objectContaining({
          policy: 'disallow-latest-tag',
          message: 'images must not use the latest tag (or no tag): ghcr.io/payday/api:latest',
        }),
      );
      expect(injected).toContainEqual(
        expect.objectContaining({
          policy: 'pod-security-restricted',
          message: expect.stringContaining('Privileged containers are not allowed'),
        }),
      );
      expect(injected).toContainEqual(
        expect.objectContaining({
          policy: 'disallow-plain-secrets',
          file: 'gitops/prod/injected/secret.yaml',
        }),
      );
    },
  );
});

describe('gate CLI', () => {
  it('exits 2 from the npm script for an unknown format (process exit code)', () => {
    const format = spawnSync(
      'npx',
      ['tsx', join(ROOT, 'policies/engine/src/cli/gate.ts'), '--format', 'xml'],
      {
        encoding: 'utf8',
      },
    );
    expect(format.status).toBe(2);
    expect(format.stderr).toContain('unknown --format xml');
  });

  it('rejects a missing tree and an unknown environment with exit 2', () => {
    const missing = runCli(['--gitops', '/nonexistent/gitops']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('does not exist; run npm run render first');
    const dir = treeWith(
      'svc.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: d }\n',
    );
    const unknown = runCli(['--gitops', dir, '--env', 'qa']);
    expect(unknown).toMatchObject({ status: 2 });
    expect(unknown.stderr).toContain('no rendered environment qa');
  });

  it('exits 1 with a table for a tree with a Deny failure', () => {
    const dir = treeWith(
      'svc.yaml',
      'apiVersion: v1\nkind: Service\nmetadata: { name: open, namespace: d, labels: {} }\nspec: { type: NodePort }\n',
    );
    const { status, stdout } = runCli(['--gitops', dir]);
    expect(status).toBe(1);
    expect(stdout).toContain('Service type NodePort is not allowed; use ClusterIP behind the ingress');
    expect(stdout).toContain('gitops/dev/x/svc.yaml');
  });

  it('exits 2 (fail closed) on a file that is not a Kubernetes object', () => {
    const dir = treeWith('broken.yaml', 'just: a map\n');
    const { status, stderr } = runCli(['--gitops', dir]);
    expect(status).toBe(2);
    expect(stderr).toContain('gitops/dev/x/broken.yaml: document is not a Kubernetes object');
  });
});

function treeWith(file: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gate-cli-'));
  mkdirSync(join(dir, 'gitops', 'dev', 'x'), { recursive: true });
  writeFileSync(join(dir, 'gitops', 'dev', 'x', file), text);
  return join(dir, 'gitops');
}

function runCli(args: string[]): { status: number; stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  const status = main(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { status, stdout: out.join(''), stderr: err.join('') };
}
