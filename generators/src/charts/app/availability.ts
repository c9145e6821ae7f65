import type { AppName } from '../../catalogue/apps.js';
import type { OpsSettings } from '../../environments/sections/operations.js';
import type { K8sObject } from '../../render/types.js';
import type { AppRef } from '../app-ref.js';
import type { BuilderContext } from '../context.js';
import { moduleSource } from '../factory.js';
import { meta, syncWave } from '../labels.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

/**
 * Availability: PodDisruptionBudgets and topology spread (docs/design/argo.md §Availability and isolation).
 *
 * The PDB selects the app's stable selector labels, never `rollouts-pod-template-hash`, so one
 * budget covers the stable and the canary (or preview) ReplicaSet at once.
 * `unhealthyPodEvictionPolicy: AlwaysAllow` lets a drain evict pods that are already broken instead
 * of stalling on them, and `maxUnavailable` is never 0 (that blocks every voluntary eviction).
 * Workloads that can run more than one replica get one (an autoscaled worker at 1…20 replicas loses
 * at most one pod at a time to a drain); a fixed single replica gets none: the budget would protect
 * nothing. Workloads KEDA may scale to zero get none either
 * (docs/design/argo.md §Availability and isolation). CloudNativePG makes its own.
 */
export function podDisruptionBudget(ctx: BuilderContext, s: OpsSettings, app: AppRef): K8sObject | undefined {
  if (app.maxReplicas < 2 || app.minReplicas < 1) return undefined;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(app.name, ctx.namespace, { ...ctx.labels, ...app.selectorLabels }, syncWave(1)),
    spec: {
      maxUnavailable: s.availability.pdbMaxUnavailable,
      selector: { matchLabels: { ...app.selectorLabels } },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  };
}

export function podDisruptionBudgets(
  ctx: BuilderContext,
  s: OpsSettings,
): Array<{ group: AppName; object: K8sObject }> {
  if (ctx.preview) return [];
  return (['api', 'frontend', 'worker'] as const).flatMap((group) => {
    const object = podDisruptionBudget(ctx, s, ctx.apps[group]);
    return object ? [{ group, object }] : [];
  });
}

/**
 * `topologySpreadConstraints` for a pod template (prod): spread over zones, then nodes.
 * `ScheduleAnyway` keeps scheduling possible when a zone is down (a hard rule would leave pods
 * Pending exactly when capacity is needed). `matchLabelKeys` spreads each ReplicaSet on its own,
 * so a canary's few pods are spread too instead of being counted against the stable ones.
 */
export function topologySpread(s: OpsSettings, app: AppRef): Array<Record<string, unknown>> | undefined {
  if (!s.availability.topologySpread) return undefined;
  const selector = { matchLabels: { ...app.selectorLabels } };
  return ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: selector,
    matchLabelKeys: ['rollouts-pod-template-hash'],
  }));
}
