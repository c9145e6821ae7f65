import type { K8sObject } from '../../render/types.js';
import { moduleSource } from '../factory.js';
import { meta } from '../labels.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

/**
 * Scrapes Argo CD's application controller, which exports `argocd_app_sync_total` and the other
 * `argocd_app_*` metrics on the Service `argocd-metrics` (argo-cd v3.5.1 manifests/install.yaml:
 * label `app.kubernetes.io/name: argocd-metrics`, port `metrics`). Argo CD is installed from those
 * manifests, not from a chart, so nothing else asks Prometheus to scrape it; the delivery
 * dashboard reads these metrics (docs/rehearsal.md, "Metric provenance").
 *
 * `release: kube-prometheus-stack` is the label the stack's Prometheus selects ServiceMonitors by
 * (kube-prometheus-stack 88.2.0 values.yaml `serviceMonitorSelectorNilUsesHelmValues`). The
 * ServiceMonitor CRD arrives with the kube-prometheus-stack Application in the same root sync, so
 * the object skips Argo CD's dry run until it exists (Argo CD sync option
 * `SkipDryRunOnMissingResource`) instead of failing the whole root sync.
 */
export function argocdMetricsServiceMonitor(): K8sObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: meta(
      'argocd-metrics',
      'argocd',
      { 'app.kubernetes.io/part-of': 'payday-platform', release: 'kube-prometheus-stack' },
      { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' },
    ),
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-metrics' } },
      namespaceSelector: { matchNames: ['argocd'] },
      endpoints: [{ port: 'metrics' }],
    },
  };
}
