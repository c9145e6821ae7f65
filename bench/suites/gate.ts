/**
 * Policy gate throughput: the full policy set over the rendered repository and over a
 * synthetic 5,000-object environment, side by side with only parsing the same YAML (the floor
 * any gate must pay). Goals: gate ≤ 3× parse time; ≥ 2,000 objects/s. The same synthetic
 * objects also go through a JMESPath ClusterPolicy set as large as our CEL set
 * (bench/fixtures/jmespath-policies.yaml), with the same goals.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GateEnvironment, KubeObject } from '@payday/policy-engine';
import { loadPolicyFiles, loadRepositoryPolicies, readGitopsTree, runGate } from '@payday/policy-engine';
import { parseAllDocuments, stringify } from 'yaml';
import {
  absolute,
  type BenchSuite,
  compare,
  interleave,
  type Measurement,
  stats,
  timeMs,
} from '../harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
const POLICIES = join(ROOT, 'policies');
const JMESPATH_POLICIES = join(ROOT, 'bench/fixtures/jmespath-policies.yaml');

export function parseFiles(files: { path: string; text: string }[]): GateEnvironment[] {
  const byEnv = new Map<string, GateEnvironment>();
  for (const f of files) {
    const name = f.path.split('/')[1] ?? 'default';
    const env = byEnv.get(name) ?? { name, objects: [] };
    for (const doc of parseAllDocuments(f.text)) {
      const object = doc.toJS() as KubeObject | null;
      if (object) env.objects.push({ path: f.path, object });
    }
    byEnv.set(name, env);
  }
  return [...byEnv.values()];
}

/** A prod-like environment: per namespace a Namespace, a default-deny policy, a PDB, Rollouts and Services. */
export function syntheticFiles(count: number): { path: string; text: string }[] {
  const files: { path: string; text: string }[] = [];
  const labels = (app: string) => ({
    'app.kubernetes.io/name': app,
    'app.kubernetes.io/part-of': 'payday',
    'payday.dev/environment': 'prod',
    'payday.dev/owner': 'payments',
  });
  let ns = 0;
  while (files.length < count) {
    const namespace = `tenant-${ns++}`;
    const push = (object: Record<string, unknown>) => {
      if (files.length < count)
        files.push({ path: `gitops/prod/${namespace}/${files.length}.yaml`, text: stringify(object) });
    };
    push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { 'payday.dev/environment': 'prod' } },
    });
    push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    push({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'all', namespace, labels: labels('pdb') },
      spec: { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/part-of': 'payday' } } },
    });
    for (let i = 0; i < 20; i++) {
      const app = `app-${i}`;
      push({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: app, namespace, labels: labels(app) },
        spec: {
          replicas: 3,
          selector: { matchLabels: { 'app.kubernetes.io/name': app } },
          strategy: {
            canary: {
              analysis: { templates: [{ templateName: 'success-rate' }] },
              steps: [{ setWeight: 20 }],
            },
          },
          template: {
            metadata: { labels: labels(app) },
            spec: {
              securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [
                {
                  name: app,
                  image: `ghcr.io/payday/api@sha256:${'7'.repeat(64)}`,
                  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
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
      });
      push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: app, namespace, labels: labels(app) },
        spec: { selector: { 'app.kubernetes.io/name': app }, ports: [{ port: 80, targetPort: 3000 }] },
      });
    }
  }
  return files;
}

const suite: BenchSuite = {
  name: 'gate',
  description: 'policy gate over rendered YAML vs parsing the same YAML',
  async run(ctx) {
    const celSet = loadRepositoryPolicies(POLICIES);
    const out: Measurement[] = [];
    const measure = async (
      metric: string,
      files: { path: string; text: string }[],
      policySet = celSet,
      kind = 'CEL ValidatingPolicies',
    ) => {
      const objects = parseFiles(files).reduce((n, e) => n + e.objects.length, 0);
      ctx.progress(`${metric}: ${objects} objects, ${ctx.rounds} interleaved rounds`);
      const pair = await interleave(
        ctx.rounds,
        () => timeMs(() => runGate(parseFiles(files), { policiesDir: POLICIES, policySet })),
        () => timeMs(() => parseFiles(files)),
      );
      out.push(
        compare(
          `${metric}.time`,
          'ms',
          pair,
          'YAML parse only',
          { op: '<=', value: 3 },
          'read+parse+gate vs read+parse',
        ),
      );
      // Throughput of the gate itself over already-parsed objects (parsing is the baseline above).
      const parsed = parseFiles(files);
      const samples: number[] = [];
      for (let i = 0; i < ctx.rounds; i++) {
        const ms = await timeMs(() => runGate(parsed, { policiesDir: POLICIES, policySet }));
        samples.push(objects / (ms / 1000));
      }
      out.push(
        absolute(
          `${metric}.throughput`,
          'objects/s',
          stats(samples),
          { op: '>=', value: 2000 },
          `${policySet.policies.length} ${kind}, evaluation only`,
        ),
      );
    };
    const gitops = join(ROOT, 'gitops');
    if (existsSync(gitops)) {
      const envs = readGitopsTree(gitops, ROOT);
      const files = envs
        .flatMap((e) => [...new Set(e.objects.map((o) => o.path))])
        .map((path) => ({
          path,
          text: envs
            .flatMap((e) => e.objects)
            .filter((o) => o.path === path)
            .map((o) => stringify(o.object))
            .join('---\n'),
        }));
      await measure('gate.repo', files);
    } else {
      ctx.progress('gate.repo: no rendered gitops/ yet, skipped');
    }
    const synthetic = syntheticFiles(ctx.quick ? 200 : 5000);
    await measure('gate.synthetic', synthetic);
    await measure(
      'gate.synthetic-jmespath',
      synthetic,
      loadPolicyFiles([JMESPATH_POLICIES]),
      'JMESPath ClusterPolicies',
    );
    return out;
  },
};

export default suite;
