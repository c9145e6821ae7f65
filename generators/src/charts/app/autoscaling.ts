import type { OpsSettings } from '../../environments/sections/operations.js';
import type { K8sObject } from '../../render/types.js';
import type { BuilderContext } from '../context.js';
import { moduleSource } from '../factory.js';
import { meta, syncWave } from '../labels.js';
import { DB_CLUSTER, DB_NAME, KEDA_ROLE, KEDA_ROLE_SECRET } from '../names.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

/**
 * Autoscalers. The API Rollout gets a plain HPA (CPU); the worker Rollout gets a KEDA ScaledObject
 * on queue depth (docs/design/argo.md §Worker canary and KEDA). Both target the Rollout through its
 * `/scale` subresource, and the Rollouts themselves are rendered WITHOUT `spec.replicas` (
 * docs/design/rendering.md §Replicas and autoscalers): the autoscaler owns the count, so Argo CD
 * never fights it.
 *
 * Request-rate scaling for the API would need prometheus-adapter (an external-metrics API): not part
 * of the platform, so CPU is the signal and the request rate is watched by alerts instead.
 */

const ROLLOUT_REF = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' } as const;
export const KEDA_AUTH = 'worker-queue-reader';

/** HorizontalPodAutoscaler for the API Rollout (autoscaling/v2). */
export function apiHpa(ctx: BuilderContext, s: OpsSettings): K8sObject | undefined {
  const api = ctx.apps.api;
  if (ctx.preview || api.maxReplicas <= api.minReplicas) return undefined;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(api.name, ctx.namespace, { ...ctx.labels, ...api.selectorLabels }, syncWave(1)),
    spec: {
      scaleTargetRef: { ...ROLLOUT_REF, name: api.name },
      minReplicas: api.minReplicas,
      maxReplicas: api.maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: s.scaling.apiCpuUtilization },
          },
        },
      ],
      // Scale up fast, down slowly: a payment burst must not wait, flapping costs cold starts.
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 0,
          policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }],
        },
        scaleDown: {
          stabilizationWindowSeconds: 300,
          policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
        },
      },
    },
  };
}

/**
 * Whether KEDA scales the worker (and so whether its HPA exists): not in preview, and not with
 * fixed replicas (min = max), which stay with the Rollout because KEDA would fight the rendered count.
 */
export function workerAutoscaled(ctx: BuilderContext): boolean {
  return !ctx.preview && ctx.apps.worker.maxReplicas > ctx.apps.worker.minReplicas;
}

/**
 * The HPA KEDA creates for a ScaledObject (keda v2.20.2 controllers/keda/hpa.go getHPAName:
 * `keda-hpa-<name>` unless `advanced.horizontalPodAutoscalerConfig.name` is set, which we never set).
 */
export const kedaHpaName = (scaledObject: string): string => `keda-hpa-${scaledObject}`;

/**
 * KEDA ScaledObject for the worker Rollout. `queueDepthQuery` is the worker's own query (imported
 * by the caller from the worker package, never copied, so a change of it re-renders here): it
 * must return one row whose first column is a number, never NULL, since the scaler reads that
 * column of that row as a float64 (keda v2.20.2 pkg/scalers/postgresql_scaler.go,
 * getActiveNumber). Ours adds two `count(*)`s, one per status through its own partial index,
 * which are 0 for an empty queue (apps/worker/README.md, "Queue depth for KEDA").
 */
export function workerScaledObject(
  ctx: BuilderContext,
  s: OpsSettings,
  queueDepthQuery: string,
): K8sObject | undefined {
  const worker = ctx.apps.worker;
  if (!workerAutoscaled(ctx)) return undefined;
  const a = s.scaling;
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: meta(worker.name, ctx.namespace, { ...ctx.labels, ...worker.selectorLabels }, syncWave(1)),
    spec: {
      scaleTargetRef: { ...ROLLOUT_REF, name: worker.name },
      minReplicaCount: worker.minReplicas,
      maxReplicaCount: worker.maxReplicas,
      pollingInterval: a.pollingIntervalSeconds,
      cooldownPeriod: 300,
      // When the database cannot be polled, hold a known-good size instead of freezing or dropping to min.
      fallback: { failureThreshold: a.fallbackFailureThreshold, replicas: a.fallbackReplicas },
      advanced: {
        horizontalPodAutoscalerConfig: {
          behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
        },
      },
      triggers: [
        {
          type: 'postgresql',
          name: 'queue-depth',
          metadata: {
            query: queueDepthQuery,
            targetQueryValue: String(a.workerJobsPerReplica),
            activationTargetQueryValue: String(a.workerActivationJobs),
            // KEDA runs in its own namespace: fully-qualified host. `-r` reaches any instance, so
            // polling works with one instance (dev) and stays mostly off the primary with three.
            host: `${DB_CLUSTER}-r.${ctx.namespace}.svc.cluster.local`,
            port: '5432',
            userName: KEDA_ROLE,
            dbName: DB_NAME,
            sslmode: 'require',
          },
          authenticationRef: { name: KEDA_AUTH },
        },
      ],
    },
  };
}

/** TriggerAuthentication: the KEDA reader's password from the ExternalSecret-made Secret. */
export function workerTriggerAuthentication(ctx: BuilderContext): K8sObject | undefined {
  const worker = ctx.apps.worker;
  if (ctx.preview || worker.maxReplicas <= worker.minReplicas) return undefined;
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'TriggerAuthentication',
    metadata: meta(KEDA_AUTH, ctx.namespace, ctx.labels, syncWave(-1)),
    spec: { secretTargetRef: [{ parameter: 'password', name: KEDA_ROLE_SECRET, key: 'password' }] },
  };
}
