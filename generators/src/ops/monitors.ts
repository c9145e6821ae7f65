import type { AppName, OpsContext } from './context.js';
import { type K8sObject, meta, syncWave } from './k8s-object.js';
import type { OpsSettings } from './settings.js';

/**
 * PodMonitors for the three apps (docs/design/argo.md §Monitoring). PodMonitors rather than ServiceMonitors:
 * a ServiceMonitor on the stable Service sees only stable pods, while the canary analysis needs the
 * canary's series too. `podTargetLabels` copies the pod label `rollouts-pod-template-hash` onto
 * every series as `rollouts_pod_template_hash` (the "Metrics" sections of the app READMEs), which is what the
 * AnalysisTemplates filter on. The Prometheus selector label is a per-environment setting.
 */
export function appPodMonitor(ctx: OpsContext, s: OpsSettings, app: AppName): K8sObject {
  const ref = ctx.apps[app];
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: meta(
      ref.name,
      ctx.namespace,
      { ...ctx.commonLabels, ...s.monitoring.selectorLabels },
      syncWave(1),
    ),
    spec: {
      selector: { matchLabels: { ...ref.selectorLabels } },
      podTargetLabels: ['rollouts-pod-template-hash', 'app.kubernetes.io/name'],
      podMetricsEndpoints: [{ port: ref.portName, path: '/metrics', interval: '30s' }],
    },
  };
}

export function appPodMonitors(
  ctx: OpsContext,
  s: OpsSettings,
): Array<{ group: AppName; object: K8sObject }> {
  return (['api', 'frontend', 'worker'] as const).map((group) => ({
    group,
    object: appPodMonitor(ctx, s, group),
  }));
}
