/**
 * PromQL helpers shared by alerts, dashboards and analysis.
 *
 * Controller metrics (Argo Rollouts' `rollout_info`, `analysis_run_info`) carry the namespace of the
 * object they describe in a `namespace` label, but are scraped from the controller's own namespace
 * by the ServiceMonitor of the argo-rollouts chart, which does not honour the metric's labels
 * (argo-helm charts/argo-rollouts/templates/controller/servicemonitor.yaml: no `honorLabels`).
 * Prometheus therefore keeps the object's namespace as `exported_namespace` (Prometheus
 * `honor_labels`), and `namespace` is always the controller's: only `exported_namespace` selects
 * an environment (docs/rehearsal.md, "Metric provenance").
 */
export function controllerMetric(metric: string, namespace: string, matchers = ''): string {
  const extra = matchers ? `,${matchers}` : '';
  return `${metric}{exported_namespace="${namespace}"${extra}}`;
}
