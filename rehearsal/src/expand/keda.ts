import type { K8sObject } from '../model.js';
import { clone, controllerRef, type Labels, rec, spec } from './meta.js';
import type { ExpansionRule } from './types.js';

/** keda v2.20.2: the version label KEDA writes on what it creates. */
export const KEDA_VERSION = '2.20.2';

/**
 * ScaledObject → the HorizontalPodAutoscaler `keda-hpa-<name>` (trimmed to 63 characters):
 * labels app.kubernetes.io/{name,version,part-of,managed-by} overridden by the ScaledObject's
 * own labels, the ScaledObject's annotations, minReplicas (default 1, never 0), maxReplicas
 * (default 100), `advanced.horizontalPodAutoscalerConfig.behavior` and the scale target.
 * The external metric names depend on each scaler's runtime metadata and are not modelled.
 */
export const scaledObjectRule: ExpansionRule = {
  kind: 'ScaledObject',
  group: 'keda.sh',
  controller: 'keda',
  rule: 'keda v2.20.2 controllers/keda/hpa.go newHPAForScaledObject, getHPAName, getHPAMinReplicas, getHPAMaxReplicas',
  expand(so) {
    const s = spec(so);
    const name =
      (rec(rec(s.advanced).horizontalPodAutoscalerConfig).name as string | undefined) ??
      `keda-hpa-${so.metadata.name}`.slice(0, 63);
    const labels: Labels = {
      'app.kubernetes.io/name': name,
      'app.kubernetes.io/version': KEDA_VERSION,
      'app.kubernetes.io/part-of': so.metadata.name.slice(0, 63),
      'app.kubernetes.io/managed-by': 'keda-operator',
      ...so.metadata.labels,
    };
    const target = rec(s.scaleTargetRef);
    const min = typeof s.minReplicaCount === 'number' && s.minReplicaCount > 0 ? s.minReplicaCount : 1;
    const behavior = rec(rec(s.advanced).horizontalPodAutoscalerConfig).behavior;
    const hpa: K8sObject = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: {
        name,
        ...(so.metadata.namespace ? { namespace: so.metadata.namespace } : {}),
        labels,
        ...(so.metadata.annotations ? { annotations: { ...so.metadata.annotations } } : {}),
        ownerReferences: [controllerRef(so)],
      },
      spec: {
        minReplicas: min,
        maxReplicas: typeof s.maxReplicaCount === 'number' ? s.maxReplicaCount : 100,
        scaleTargetRef: {
          apiVersion: String(target.apiVersion ?? 'apps/v1'),
          kind: String(target.kind ?? 'Deployment'),
          name: String(target.name),
        },
        ...(behavior ? { behavior: clone(behavior) } : {}),
      },
    };
    return [hpa];
  },
};
