import { KEDA_QUEUE_DEPTH_SQL } from '@payday/db';
import { describe, expect, it } from 'vitest';
import { defaultOpsSettings } from '../../environments/sections/operations.js';
import { sampleContext } from '../../testing/context.js';
import { apiHpa, KEDA_AUTH, workerScaledObject, workerTriggerAuthentication } from './autoscaling.js';

const s = defaultOpsSettings();

describe('API HPA', () => {
  it('scales the Rollout (not a Deployment) between the environment bounds on CPU', () => {
    const hpa = apiHpa(sampleContext(), s)!;
    expect(hpa.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'api' },
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ],
    });
  });

  it('is not rendered when the API is not autoscaled (min = max) or in preview', () => {
    const ctx = sampleContext();
    ctx.apps.api = { ...ctx.apps.api, minReplicas: 2, maxReplicas: 2 };
    expect(apiHpa(ctx, s)).toBeUndefined();
    expect(apiHpa(sampleContext({ preview: true, namespace: undefined }), s)).toBeUndefined();
  });
});

describe('worker ScaledObject', () => {
  const so = workerScaledObject(sampleContext(), s, KEDA_QUEUE_DEPTH_SQL)!;
  const spec = so.spec as {
    scaleTargetRef: unknown;
    minReplicaCount: number;
    maxReplicaCount: number;
    fallback: unknown;
    triggers: Array<{ type: string; metadata: Record<string, string>; authenticationRef: { name: string } }>;
  };

  it('targets the worker Rollout, 1 → 20 as in prod, with a fallback size', () => {
    expect(spec.scaleTargetRef).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      name: 'worker',
    });
    expect([spec.minReplicaCount, spec.maxReplicaCount]).toEqual([1, 20]);
    expect(spec.fallback).toEqual({ failureThreshold: 3, replicas: 2 });
  });

  it("runs exactly the worker's queue-depth query as the least-privilege reader", () => {
    const [t] = spec.triggers;
    expect(t!.type).toBe('postgresql');
    expect(t!.metadata.query).toBe(KEDA_QUEUE_DEPTH_SQL);
    expect(t!.metadata).toMatchObject({
      targetQueryValue: '50',
      activationTargetQueryValue: '0',
      host: 'payday-db-r.payday-prod.svc.cluster.local',
      userName: 'keda_reader',
      dbName: 'payday',
      sslmode: 'require',
    });
    expect(t!.authenticationRef.name).toBe(KEDA_AUTH);
  });

  it('reads the password from the reader Secret, never inline', () => {
    expect(workerTriggerAuthentication(sampleContext())!.spec).toEqual({
      secretTargetRef: [{ parameter: 'password', name: 'payday-db-keda-reader', key: 'password' }],
    });
  });

  it('is not rendered for a fixed replica count (the Rollout keeps it)', () => {
    const ctx = sampleContext();
    ctx.apps.worker = { ...ctx.apps.worker, minReplicas: 2, maxReplicas: 2 };
    expect(workerScaledObject(ctx, s, KEDA_QUEUE_DEPTH_SQL)).toBeUndefined();
    expect(workerTriggerAuthentication(ctx)).toBeUndefined();
  });

  it('is not rendered in preview (one plain replica)', () => {
    const preview = sampleContext({ preview: true, namespace: undefined });
    expect(workerScaledObject(preview, s, KEDA_QUEUE_DEPTH_SQL)).toBeUndefined();
    expect(workerTriggerAuthentication(preview)).toBeUndefined();
  });
});
