import { describe, expect, it } from 'vitest';
import type { ClusterObject, K8sObject, Scenario } from '../model.js';
import { scenarioPods } from './template-pods.js';

const object = (o: K8sObject): ClusterObject => ({ object: o, origin: { kind: 'rendered', path: 'x.yaml' } });
const template = {
  metadata: { labels: { app: 'x' } },
  spec: { containers: [{ name: 'x', ports: [{ containerPort: 1 }] }] },
};

describe('scenarioPods', () => {
  const scenario = (...objects: ClusterObject[]): Scenario => ({ name: 'dev', namespace: 'ns', objects });

  it('derives one pod per workload template, CronJobs through their job template', () => {
    const pods = scenarioPods(
      scenario(
        object({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          metadata: { name: 'r' },
          spec: { template },
        }),
        object({
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: { name: 'c', namespace: 'other' },
          spec: { jobTemplate: { spec: { template } } },
        }),
        object({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: {} }),
      ),
    );
    expect(pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(['ns/r', 'other/c']);
    expect(pods[0]).toMatchObject({ labels: { app: 'x' }, ports: [{ containerPort: 1 }] });
  });

  it('derives CloudNativePG instance pods with their labels and ports', () => {
    const pods = scenarioPods(
      scenario(
        object({
          apiVersion: 'postgresql.cnpg.io/v1',
          kind: 'Cluster',
          metadata: { name: 'db' },
          spec: { instances: 2 },
        }),
      ),
    );
    expect(pods.map((p) => [p.name, p.labels['cnpg.io/instanceRole'], p.ports.map((x) => x.name)])).toEqual([
      ['db-1', 'primary', ['postgresql', 'metrics', 'status']],
      ['db-2', 'replica', ['postgresql', 'metrics', 'status']],
    ]);
  });

  it('uses the scenario’s own Pods (controller expansion) whenever it holds any', () => {
    const pods = scenarioPods(
      scenario(
        object({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template } }),
        {
          object: {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'd-abc', labels: { app: 'x' } },
            spec: template.spec,
          },
          origin: { kind: 'expanded', controller: 'deployment', parent: 'ReplicaSet/ns/d-abc', rule: 'test' },
        },
      ),
    );
    expect(pods).toEqual([
      { kind: 'pod', namespace: 'ns', name: 'd-abc', labels: { app: 'x' }, ports: [{ containerPort: 1 }] },
    ]);
  });
});
