import type { AppName } from '../../catalogue/apps.js';
import type { OpsSettings } from '../../environments/sections/operations.js';
import type { K8sObject } from '../../render/types.js';
import type { BuilderContext } from '../context.js';
import { moduleSource } from '../factory.js';
import { meta, syncWave } from '../labels.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

/**
 * PodMonitors for the three apps (docs/design/argo.md §Monitoring). PodMonitors rather than ServiceMonitors:
 * a ServiceMonitor on the stable Service sees only stable pods, while the canary analysis needs the
 * canary's series too. `podTargetLabels` copies the pod label `rollouts-pod-template-hash` onto
 * every series as `rollouts_pod_template_hash` (the "Metrics" sections of the app READMEs), which is what the
 * AnalysisTemplates filter on. The Prometheus selector label is a per-environment setting.
 */
export function appPodMonitor(ctx: BuilderContext, s: OpsSettings, app: AppName): K8sObject {
  const ref = ctx.apps[app];
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: meta(ref.name, ctx.namespace, { ...ctx.labels, ...s.monitoring.selectorLabels }, syncWave(1)),
    spec: {
      selector: { matchLabels: { ...ref.selectorLabels } },
      podTargetLabels: ['rollouts-pod-template-hash', 'app.kubernetes.io/name'],
      podMetricsEndpoints: [{ port: ref.portName, path: '/metrics', interval: '30s' }],
    },
  };
}

export function appPodMonitors(
  ctx: BuilderContext,
  s: OpsSettings,
): Array<{ group: AppName; object: K8sObject }> {
  return (['api', 'frontend', 'worker'] as const).map((group) => ({
    group,
    object: appPodMonitor(ctx, s, group),
  }));
}
