import { describe, expect, it } from 'vitest';
import type { ClusterObject, K8sObject } from '../model.js';
import { expandObjects } from './expand.js';

const rendered = (object: K8sObject): ClusterObject => ({
  object,
  origin: { kind: 'rendered', path: 'test.yaml' },
});
const template = {
  metadata: { labels: { app: 'x' } },
  spec: { containers: [{ name: 'x', image: 'ghcr.io/payday/x@sha256:1' }] },
};
const created = (objects: ClusterObject[]) =>
  objects
    .filter((o) => o.origin.kind === 'expanded')
    .map((o) => `${o.object.kind}/${o.object.metadata.name}`);

describe('expansion rules for the kinds we may render', () => {
  it('StatefulSet → Pod <name>-0 with its ordinal labels and one PVC per claim template', () => {
    const { objects } = expandObjects([
      rendered({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'cache', namespace: 'ns' },
        spec: {
          selector: { matchLabels: { app: 'x' } },
          template,
          volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }],
        },
      }),
    ]);
    expect(created(objects)).toEqual(['Pod/cache-0', 'PersistentVolumeClaim/data-cache-0']);
    expect(objects[1]!.object.metadata.labels).toMatchObject({
      'statefulset.kubernetes.io/pod-name': 'cache-0',
      'apps.kubernetes.io/pod-index': '0',
    });
  });

  it('DaemonSet → one representative Pod; Namespace → default ServiceAccount and kube-root-ca.crt', () => {
    const { objects } = expandObjects([
      rendered({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'agent', namespace: 'ns' },
        spec: { template },
      }),
      rendered({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } }),
    ]);
    expect(created(objects)).toEqual([
      expect.stringMatching(/^Pod\/agent-/),
      'ServiceAccount/default',
      'ConfigMap/kube-root-ca.crt',
    ]);
  });

  it('ScheduledBackup → Backup labelled with its parent; Pooler → PgBouncer Deployment, Service, then ReplicaSet and Pod', () => {
    const { objects } = expandObjects([
      rendered({
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'ScheduledBackup',
        metadata: { name: 'daily', namespace: 'ns' },
        spec: { cluster: { name: 'db' }, immediate: true, backupOwnerReference: 'self', method: 'plugin' },
      }),
      rendered({
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Pooler',
        metadata: { name: 'db-pooler', namespace: 'ns' },
        spec: { instances: 2 },
      }),
    ]);
    expect(created(objects)).toEqual([
      'Backup/daily-20260101000000',
      'Deployment/db-pooler',
      'Service/db-pooler',
      expect.stringMatching(/^ReplicaSet\/db-pooler-/),
      expect.stringMatching(/^Pod\/db-pooler-/),
    ]);
    expect(objects[2]!.object.metadata.labels).toEqual({
      'cnpg.io/cluster': 'db',
      'cnpg.io/immediateBackup': 'true',
      'cnpg.io/scheduled-backup': 'daily',
    });
    const pod = objects.at(-1)!.object;
    expect((pod.spec as { containers: { name: string; image: string }[] }).containers[0]).toMatchObject({
      name: 'pgbouncer',
      image: 'ghcr.io/cloudnative-pg/pgbouncer:1.25.1',
    });
  });

  it('an ExternalSecret that merges into an existing Secret creates none', () => {
    const { objects } = expandObjects([
      rendered({
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'es', namespace: 'ns' },
        spec: { target: { creationPolicy: 'Merge' } },
      }),
    ]);
    expect(created(objects)).toEqual([]);
  });

  it('fails closed on a Rollout whose workloadRef names a Deployment the scenario does not hold', () => {
    const { findings } = expandObjects([
      rendered({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: 'r', namespace: 'ns' },
        spec: { workloadRef: { kind: 'Deployment', name: 'gone' } },
      }),
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'argo-rollouts expansion cannot evaluate it (fails closed): workloadRef Deployment/gone is not in the scenario',
    ]);
  });
});
