/**
 * kube-state-metrics v2.19.1, the version kube-prometheus-stack 88.2.0 installs (its Chart.yaml
 * depends on the kube-state-metrics chart 8.2.0, appVersion 2.19.1).
 */
import type { K8sObject } from '../../model.js';
import { SERVICE_TARGET_LABELS, type UpstreamComponent } from '../exporter.js';
import { chartApplication, helmValue } from './helm-values.js';

const HPA = 'internal/store/horizontalpodautoscaler.go';

/**
 * The HorizontalPodAutoscalers of the rehearsed cluster: rendered or expanded ones, and the one
 * KEDA creates per ScaledObject (keda v2.20.2 controllers/keda/hpa.go getHPAName:
 * `spec.advanced.horizontalPodAutoscalerConfig.name`, else `keda-hpa-<ScaledObject name>`).
 */
function hpaNames(objects: readonly K8sObject[]): string[] {
  const names = objects.flatMap((o) => {
    if (o.kind === 'HorizontalPodAutoscaler') return [o.metadata.name];
    if (o.kind !== 'ScaledObject') return [];
    const spec = o.spec as { advanced?: { horizontalPodAutoscalerConfig?: { name?: string } } } | undefined;
    return [spec?.advanced?.horizontalPodAutoscalerConfig?.name || `keda-hpa-${o.metadata.name}`];
  });
  return [...new Set(names)].sort();
}

export const kubeStateMetrics: UpstreamComponent = {
  component: 'kube-state-metrics',
  version: 'v2.19.1',
  metrics: [
    'spec_max_replicas',
    'spec_min_replicas',
    'status_current_replicas',
    'status_desired_replicas',
  ].map((m) => ({
    name: `kube_horizontalpodautoscaler_${m}`,
    type: 'gauge' as const,
    // descHorizontalPodAutoscalerLabelsDefaultLabels
    labels: ['namespace', 'horizontalpodautoscaler'],
    source: `${HPA} kube_horizontalpodautoscaler_${m}`,
  })),
  scrape(objects) {
    const app = chartApplication(objects, 'kube-prometheus-stack');
    if (!app) return { unscraped: 'no Application installs the kube-prometheus-stack chart' };
    if (helmValue(app, ['kubeStateMetrics', 'enabled']) === false)
      return { unscraped: 'kube-prometheus-stack values set kubeStateMetrics.enabled: false' };
    // kube-prometheus-stack 88.2.0 values.yaml: kube-state-metrics.prometheus.monitor.honorLabels: true,
    // so `namespace` is the object's namespace, not the exporter's.
    return {
      targetLabels: Object.fromEntries(SERVICE_TARGET_LABELS.map((l) => [l, undefined])),
      honorLabels: true,
      labelValues: { horizontalpodautoscaler: hpaNames(objects) },
    };
  },
};
