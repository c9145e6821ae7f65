import { describe, expect, it } from 'vitest';
import { bytes, costOfObjects, formatCost, formatCosts, millicores } from './cost.js';

const workload = (kind: string, name: string, cpu: string, memory: string, replicas?: number) => ({
  kind,
  metadata: { name },
  spec: {
    ...(replicas === undefined ? {} : { replicas }),
    template: { spec: { containers: [{ name, resources: { requests: { cpu, memory } } }] } },
  },
});

describe('cost summary', () => {
  it('parses quantities, and refuses what it cannot read', () => {
    expect(millicores('250m')).toBe(250);
    expect(millicores('1.5')).toBe(1500);
    expect(bytes('256Mi')).toBe(256 * 2 ** 20);
    expect(bytes('1G')).toBe(1e9);
    expect(() => millicores('lots')).toThrow('unsupported CPU quantity "lots"');
    expect(() => bytes('1 GB')).toThrow('unsupported memory quantity "1 GB"');
  });

  it('sums requests at min and max replicas: fixed, HPA-scaled, KEDA-scaled, database instances', () => {
    const c = costOfObjects('prod', [
      workload('Rollout', 'api', '250m', '256Mi'),
      {
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'api' },
        spec: { scaleTargetRef: { kind: 'Rollout', name: 'api' }, minReplicas: 3, maxReplicas: 10 },
      },
      workload('Rollout', 'frontend', '100m', '128Mi', 2),
      workload('Rollout', 'worker', '200m', '256Mi'),
      {
        kind: 'ScaledObject',
        metadata: { name: 'worker' },
        spec: {
          scaleTargetRef: { kind: 'Rollout', name: 'worker' },
          minReplicaCount: 1,
          maxReplicaCount: 20,
        },
      },
      {
        kind: 'Cluster',
        metadata: { name: 'payday-db' },
        spec: { instances: 3, resources: { requests: { cpu: '500m', memory: '1Gi' } } },
      },
      { kind: 'Job', metadata: { name: 'db-migrate' }, spec: {} },
    ]);
    expect(c.lines.map((l) => [l.component, l.minReplicas, l.maxReplicas])).toEqual([
      ['Rollout/api', 3, 10],
      ['Rollout/frontend', 2, 2],
      ['Rollout/worker', 1, 20],
      ['Cluster/payday-db', 3, 3],
    ]);
    expect(c.total.cpuMillicores).toEqual({ min: 750 + 200 + 200 + 1500, max: 2500 + 200 + 4000 + 1500 });
    expect(formatCost(c)).toBe(
      'prod: requests 2.65 CPU / 4.25 GiB at min replicas, 8.20 CPU / 10.75 GiB at max',
    );
  });
});

describe('render summary lines', () => {
  it('prints one cost line per rendered environment', () => {
    const env = (name: string, replicas: number) => ({
      name,
      objects: [{ object: workload('Rollout', 'api', '500m', '512Mi', replicas) }],
    });
    expect(formatCosts([env('dev', 1), env('prod', 4)])).toBe(
      'cost: dev: requests 0.50 CPU / 0.50 GiB at min replicas, 0.50 CPU / 0.50 GiB at max\n' +
        'cost: prod: requests 2.00 CPU / 2.00 GiB at min replicas, 2.00 CPU / 2.00 GiB at max\n',
    );
  });
});
