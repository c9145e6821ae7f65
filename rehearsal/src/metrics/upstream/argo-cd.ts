/**
 * Argo CD v3.5.1 (installed from its manifests/install.yaml by scripts/cluster/cluster.sh): the
 * application controller's metrics, served by the Service `argocd-metrics`.
 */
import { SERVICE_TARGET_LABELS, type UpstreamComponent } from '../exporter.js';

const METRICS = 'controller/metrics/metrics.go';
/** gitops-engine/pkg/sync/common/types.go: the phases for which OperationPhase.Completed() holds. */
const COMPLETED_PHASES = ['Succeeded', 'Failed', 'Error'];

/** manifests/install.yaml v3.5.1: the Service's labels and its port name. */
const METRICS_SERVICE = { namespace: 'argocd', labels: { 'app.kubernetes.io/name': 'argocd-metrics' } };

export const argoCd: UpstreamComponent = {
  component: 'argo-cd',
  version: 'v3.5.1',
  metrics: [
    {
      name: 'argocd_app_sync_total',
      type: 'counter',
      // descAppDefaultLabels + dest_server, phase, dry_run; IncSync counts completed operations only.
      labels: ['namespace', 'name', 'project', 'dest_server', 'phase', 'dry_run'],
      values: { phase: COMPLETED_PHASES, dry_run: ['true', 'false'] },
      source: `${METRICS} syncCounter, IncSync`,
    },
    {
      name: 'argocd_app_info',
      type: 'gauge',
      labels: [
        'namespace',
        'name',
        'project',
        'autosync_enabled',
        'repo',
        'dest_server',
        'dest_namespace',
        'sync_status',
        'health_status',
        'operation',
      ],
      source: `${METRICS} descAppInfo`,
    },
  ],
  scrape(objects) {
    const monitor = objects.find((o) => {
      if (o.kind !== 'ServiceMonitor') return false;
      const spec = o.spec as {
        selector?: { matchLabels?: Record<string, string> };
        namespaceSelector?: { matchNames?: string[]; any?: boolean };
      };
      const ns = spec.namespaceSelector;
      const inNamespace =
        ns?.any === true ||
        ns?.matchNames?.includes(METRICS_SERVICE.namespace) ||
        o.metadata.namespace === METRICS_SERVICE.namespace;
      const match = Object.entries(spec.selector?.matchLabels ?? {});
      return (
        inNamespace &&
        match.length > 0 &&
        match.every(([k, v]) => METRICS_SERVICE.labels[k as keyof typeof METRICS_SERVICE.labels] === v)
      );
    });
    if (!monitor) return { unscraped: 'no ServiceMonitor selects Service argocd/argocd-metrics' };
    return {
      targetLabels: Object.fromEntries(
        SERVICE_TARGET_LABELS.map((l) => [l, l === 'namespace' ? [METRICS_SERVICE.namespace] : undefined]),
      ),
      honorLabels:
        (monitor.spec as { endpoints?: { honorLabels?: boolean }[] }).endpoints?.[0]?.honorLabels === true,
    };
  },
};
