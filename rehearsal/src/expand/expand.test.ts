import { describe, expect, it } from 'vitest';
import type { ClusterObject, K8sObject } from '../model.js';
import { expandObjects } from './expand.js';

const rendered = (object: K8sObject): ClusterObject => ({
  object,
  origin: { kind: 'rendered', path: 'test.yaml' },
});
const template = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'ghcr.io/payday/web@sha256:1' }] },
};
const kinds = (objects: ClusterObject[]) =>
  objects
    .filter((o) => o.origin.kind === 'expanded')
    .map((o) => `${o.object.kind}/${o.object.metadata.name}`);

describe('expandObjects', () => {
  it('Deployment → ReplicaSet and Pod carrying pod-template-hash, citing the controller source', () => {
    const { objects, findings } = expandObjects([
      rendered({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'ns' },
        spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template },
      }),
    ]);
    expect(findings).toEqual([]);
    const rs = objects.find((o) => o.object.kind === 'ReplicaSet')!;
    const hash = rs.object.metadata.labels!['pod-template-hash']!;
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs.object.metadata.name).toBe(`web-${hash}`);
    expect(rs.origin).toMatchObject({ controller: 'kube-controller-manager', parent: 'Deployment/ns/web' });
    expect((rs.origin as { rule: string }).rule).toContain(
      'kubernetes v1.34.0 pkg/controller/deployment/sync.go',
    );
    const pod = objects.find((o) => o.object.kind === 'Pod')!;
    expect(pod.object.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
  });

  it('Rollout → ReplicaSet labelled rollouts-pod-template-hash with the stable metadata on its Pods', () => {
    const { objects } = expandObjects([
      rendered({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: 'api', namespace: 'ns', labels: { team: 'x' } },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template,
          strategy: { canary: { stableMetadata: { labels: { role: 'stable' } } } },
        },
      }),
    ]);
    const pod = objects.find((o) => o.object.kind === 'Pod')!;
    expect(Object.keys(pod.object.metadata.labels!).sort()).toEqual([
      'app',
      'role',
      'rollouts-pod-template-hash',
    ]);
  });

  it('CronJob → Job of one scheduled run → Pod with the job-name labels', () => {
    const { objects } = expandObjects([
      rendered({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'nightly', namespace: 'ns' },
        spec: {
          schedule: '0 2 * * *',
          jobTemplate: { metadata: { labels: { a: 'b' } }, spec: { template } },
        },
      }),
    ]);
    // 2026-01-01T00:00:00Z in minutes since the epoch.
    expect(kinds(objects)).toEqual([
      'Job/nightly-29453760',
      expect.stringMatching(/^Pod\/nightly-29453760-[a-z0-9]{5}$/),
    ]);
    expect(objects.at(-1)!.object.metadata.labels).toMatchObject({
      'job-name': 'nightly-29453760',
      app: 'web',
    });
  });

  it('ScaledObject → HPA keda-hpa-<name>; ExternalSecret → its target Secret', () => {
    const { objects } = expandObjects([
      rendered({
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name: 'worker', namespace: 'ns' },
        spec: {
          scaleTargetRef: { name: 'worker', kind: 'Rollout', apiVersion: 'argoproj.io/v1alpha1' },
          minReplicaCount: 0,
          maxReplicaCount: 5,
        },
      }),
      rendered({
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'es', namespace: 'ns' },
        spec: { target: { name: 'creds' }, data: [{ secretKey: 'token' }] },
      }),
    ]);
    const hpa = objects.find((o) => o.object.kind === 'HorizontalPodAutoscaler')!.object;
    expect(hpa.metadata.name).toBe('keda-hpa-worker');
    expect(hpa.spec).toMatchObject({
      minReplicas: 1,
      maxReplicas: 5,
      scaleTargetRef: { kind: 'Rollout', name: 'worker' },
    });
    const secret = objects.find((o) => o.object.kind === 'Secret')!.object;
    expect([secret.metadata.name, Object.keys(secret.data as object)]).toEqual(['creds', ['token']]);
  });

  it('CloudNativePG Cluster → instance Pods, initdb/join Jobs, services, secrets and PDBs with inherited labels and copied resources', () => {
    const { objects } = expandObjects([
      rendered({
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Cluster',
        metadata: { name: 'db', namespace: 'ns' },
        spec: {
          instances: 3,
          imageName: 'ghcr.io/payday/postgresql@sha256:1',
          bootstrap: { initdb: { database: 'app', owner: 'app' } },
          inheritedMetadata: { labels: { 'payday.dev/owner': 'payments' } },
          resources: { requests: { cpu: '1' }, limits: { cpu: '1' } },
          storage: { size: '1Gi' },
        },
      }),
    ]);
    expect(
      kinds(objects)
        .filter((k) => /^(Pod|Job|Service|Secret|PodDisruptionBudget)\//.test(k))
        .sort(),
    ).toEqual([
      'Job/db-1-initdb',
      'Job/db-2-join',
      'Job/db-3-join',
      'Pod/db-1',
      expect.stringMatching(/^Pod\/db-1-initdb-/),
      'Pod/db-2',
      expect.stringMatching(/^Pod\/db-2-join-/),
      'Pod/db-3',
      expect.stringMatching(/^Pod\/db-3-join-/),
      'PodDisruptionBudget/db',
      'PodDisruptionBudget/db-primary',
      'Secret/db-app',
      'Service/db-r',
      'Service/db-ro',
      'Service/db-rw',
    ]);
    const primary = objects.find((o) => o.object.metadata.name === 'db-1' && o.object.kind === 'Pod')!.object;
    expect(primary.metadata.labels).toMatchObject({
      'cnpg.io/cluster': 'db',
      'cnpg.io/instanceRole': 'primary',
      'payday.dev/owner': 'payments',
    });
    const containers = (
      primary.spec as { initContainers: { name: string; image: string; resources: unknown }[] }
    ).initContainers;
    expect(containers[0]).toMatchObject({
      name: 'bootstrap-controller',
      image: 'ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0',
      resources: { limits: { cpu: '1' } },
    });
    const rw = objects.find((o) => o.object.metadata.name === 'db-rw')!.object;
    expect(rw.metadata.labels?.['payday.dev/owner']).toBe('payments');
  });

  it('reports a kind with no expansion rule and no "creates nothing" declaration', () => {
    const { findings } = expandObjects([
      rendered({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'ns' } }),
    ]);
    expect(findings).toEqual([
      {
        check: 'expansion',
        severity: 'error',
        subject: 'Widget/ns/w',
        message:
          "no expansion rule for example.com/v1 Widget: add one in rehearsal/src/expand/ citing the controller's source, or declare it as creating nothing (expand/rules.ts NOTHING) with the reason",
      },
    ]);
  });

  it('fails closed on a Cluster it cannot evaluate', () => {
    const { findings } = expandObjects([
      rendered({
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Cluster',
        metadata: { name: 'db', namespace: 'ns' },
        spec: { imageCatalogRef: { name: 'pg' } },
      }),
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'cloudnative-pg expansion cannot evaluate it (fails closed): spec.imageCatalogRef is not evaluated: set spec.imageName',
    ]);
  });
});
