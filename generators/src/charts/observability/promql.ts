/**
 * PromQL helpers shared by alerts, dashboards and analysis.
 *
 * Controller metrics (Argo Rollouts' `rollout_info`, `analysis_run_info`) carry the namespace of the
 * object they describe in a `namespace` label, but are scraped from the controller's own namespace.
 * Unless the scrape honours the metric's labels, Prometheus renames that label to
 * `exported_namespace` (Prometheus `honor_labels`). Selecting on either keeps alerts and
 * dashboards right whichever way the cluster scrapes the controller.
 */
export function controllerMetric(metric: string, namespace: string, matchers = ''): string {
  const extra = matchers ? `,${matchers}` : '';
  return `(${metric}{namespace="${namespace}"${extra}} or ${metric}{exported_namespace="${namespace}"${extra}})`;
}
