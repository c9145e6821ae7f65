/**
 * Argo Rollouts v1.9.1 (argo-helm chart 2.41.1): the controller's metrics the dashboards and alerts
 * read. Label values are the controller's own constants.
 */
import { SERVICE_TARGET_LABELS, type UpstreamComponent } from '../exporter.js';
import { chartApplication, destinationNamespace, helmValue } from './helm-values.js';

const PROM = 'controller/metrics/prommetrics.go';
/** controller/metrics/rollouts.go `calculatePhase` and its RolloutPhase constants. */
const ROLLOUT_PHASES = ['Progressing', 'Completed', 'Paused', 'Error', 'Timeout', 'Abort', 'InvalidSpec'];
/** controller/metrics/rollouts.go `getStrategyAndTrafficRouter`. */
const STRATEGIES = ['none', 'blueGreen', 'canary'];
/** pkg/apis/rollouts/v1alpha1/analysis_types.go AnalysisPhase (an unset phase is ""). */
const ANALYSIS_PHASES = ['', 'Pending', 'Running', 'Successful', 'Failed', 'Error', 'Inconclusive'];

export const argoRollouts: UpstreamComponent = {
  component: 'argo-rollouts',
  version: 'v1.9.1',
  metrics: [
    {
      name: 'rollout_info',
      type: 'gauge',
      labels: ['namespace', 'name', 'strategy', 'traffic_router', 'phase'],
      values: { phase: ROLLOUT_PHASES, strategy: STRATEGIES },
      source: `${PROM} MetricRolloutInfo; values: controller/metrics/rollouts.go`,
    },
    ...['available', 'unavailable', 'desired', 'updated'].map((r) => ({
      name: `rollout_info_replicas_${r}`,
      type: 'gauge' as const,
      labels: ['namespace', 'name'],
      source: `${PROM} MetricRolloutInfoReplicas`,
    })),
    {
      name: 'analysis_run_info',
      type: 'gauge',
      labels: ['namespace', 'name', 'phase'],
      values: { phase: ANALYSIS_PHASES },
      source: `${PROM} MetricAnalysisRunInfo; values: controller/metrics/analysis.go`,
    },
    {
      name: 'analysis_run_metric_phase',
      type: 'gauge',
      labels: ['namespace', 'name', 'metric', 'type', 'dry_run', 'phase'],
      values: { phase: ANALYSIS_PHASES.filter(Boolean) },
      source: `${PROM} MetricAnalysisRunMetricPhase`,
    },
  ],
  scrape(objects) {
    const app = chartApplication(objects, 'argo-rollouts');
    if (!app) return { unscraped: 'no Application installs the argo-rollouts chart' };
    // argo-helm charts/argo-rollouts/templates/controller/servicemonitor.yaml: rendered only when
    // both are true, with no honorLabels, in the release namespace.
    if (
      helmValue(app, ['controller', 'metrics', 'enabled']) !== true ||
      helmValue(app, ['controller', 'metrics', 'serviceMonitor', 'enabled']) !== true
    )
      return { unscraped: 'the argo-rollouts chart values leave controller.metrics.serviceMonitor disabled' };
    const ns = destinationNamespace(app);
    return {
      targetLabels: Object.fromEntries(
        SERVICE_TARGET_LABELS.map((l) => [l, l === 'namespace' && ns ? [ns] : undefined]),
      ),
      honorLabels: false,
    };
  },
};
