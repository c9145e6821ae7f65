/**
 * The committed render passes metric provenance in every environment and in a preview, and each
 * defect the check found in it, reintroduced into those objects, is caught with its message.
 */
import { METRIC_DEFINITIONS as API } from '@payday/api/metric-definitions';
import { METRIC_DEFINITIONS as FRONTEND } from '@payday/frontend/metric-definitions';
import { METRIC_DEFINITIONS as WORKER } from '@payday/worker/metric-definitions';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../checks.js';
import type { K8sObject, Scenario } from '../model.js';
import { committedScenario } from '../testing.js';
import { metricFindings, metricsCheck } from './index.js';

const messages = (s: Scenario) => metricFindings(s).map((f) => `${f.subject}: ${f.message}`);
const find = (s: Scenario, kind: string, name: string): K8sObject => {
  const o = s.objects.find((c) => c.object.kind === kind && c.object.metadata.name === name)?.object;
  if (!o) throw new Error(`no ${kind}/${name}`);
  return o;
};
const rules = (s: Scenario) =>
  (
    find(s, 'PrometheusRule', 'payday-alerts').spec as {
      groups: { rules: { alert: string; expr: string }[] }[];
    }
  ).groups[0]!.rules;

describe('metric provenance over the committed gitops/ tree', () => {
  it.each([['dev'], ['staging'], ['prod']])('%s traces every query to an exporter', (env) => {
    expect(messages(committedScenario(env))).toEqual([]);
  });

  it('is registered with the rehearsal and runs as a check', () => {
    expect(CHECKS).toContain(metricsCheck);
    expect(metricsCheck.name).toBe('metrics');
    expect(metricsCheck.run(committedScenario('staging'))).toEqual([]);
  });

  it('a preview (namespace pr-1) traces every query to an exporter', () => {
    expect(messages(committedScenario('preview'))).toEqual([]);
  });
});

describe('defects found in the render, reintroduced', () => {
  it('apps that count probes and scrapes: every analysis and SLO query over their requests is caught', () => {
    const counting = [{ ...API, uncountedPaths: [] }, WORKER, { ...FRONTEND, uncountedPaths: [] }];
    const found = metricFindings(committedScenario('prod'), { apps: counting });
    expect(found.map((f) => `${f.subject}: ${f.message.split(':')[0]}`)).toEqual([
      'AnalysisTemplate/payday-prod/api-canary-background: metric success-rate',
      'AnalysisTemplate/payday-prod/api-canary-background: metric p95-latency',
      'AnalysisTemplate/payday-prod/api-canary-background: metric p95-latency',
      'AnalysisTemplate/payday-prod/api-canary-step: metric success-rate',
      'AnalysisTemplate/payday-prod/api-canary-step: metric p95-latency',
      'AnalysisTemplate/payday-prod/api-canary-step: metric p95-latency',
      'AnalysisTemplate/payday-prod/frontend-success-rate: metric success-rate',
      'PrometheusRule/payday-prod/payday-alerts: alert PaydayApiAvailabilityBurnFast',
      'PrometheusRule/payday-prod/payday-alerts: alert PaydayApiLatencyBurnFast',
      'PrometheusRule/payday-prod/payday-alerts: alert PaydayApiLatencyBurnFast',
      'PrometheusRule/payday-prod/payday-alerts: alert PaydayApiAvailabilityBurnSlow',
      'PrometheusRule/payday-prod/payday-alerts: alert PaydayApiLatencyBurnSlow',
      'PrometheusRule/payday-prod/payday-alerts: alert PaydayApiLatencyBurnSlow',
    ]);
    expect(found[6]?.message).toBe(
      'metric success-rate: http_requests_total counts /healthz, /metrics, /readyz (probes and scrapes of app frontend) and the selector does not exclude them: an idle pod meets a request-count guard and probes dilute the success rate and latency',
    );
  });

  it('Argo Rollouts metrics selected by `namespace` and a `Degraded` phase', () => {
    const prod = committedScenario('prod');
    const degraded = rules(prod).find((r) => r.alert === 'PaydayRolloutDegraded')!;
    degraded.expr =
      'max by (name) ((rollout_info{namespace="payday-prod",phase="Degraded"} or rollout_info{exported_namespace="payday-prod",phase="Degraded"})) == 1';
    expect(messages(prod)).toEqual([
      'PrometheusRule/payday-prod/payday-alerts: alert PaydayRolloutDegraded: rollout_info{namespace="payday-prod"} never matches: namespace is one of "argo-rollouts" (argo-rollouts v1.9.1 controller/metrics/prommetrics.go MetricRolloutInfo; values: controller/metrics/rollouts.go)',
      'PrometheusRule/payday-prod/payday-alerts: alert PaydayRolloutDegraded: rollout_info{phase="Degraded"} never matches: phase is one of "Progressing", "Completed", "Paused", "Error", "Timeout", "Abort", "InvalidSpec" (argo-rollouts v1.9.1 controller/metrics/prommetrics.go MetricRolloutInfo; values: controller/metrics/rollouts.go)',
    ]);
  });

  it('a KEDA HPA panel in an environment without a ScaledObject (dev)', () => {
    const dev = committedScenario('dev');
    const expr =
      'max(kube_horizontalpodautoscaler_spec_max_replicas{namespace="payday-dev",horizontalpodautoscaler="keda-hpa-worker"}) > 0';
    rules(dev).push({ alert: 'WorkerAtMax', expr });
    expect(messages(dev)).toEqual([
      'PrometheusRule/payday-dev/payday-alerts: alert WorkerAtMax: kube_horizontalpodautoscaler_spec_max_replicas{horizontalpodautoscaler="keda-hpa-worker"} never matches: nothing in this cluster gives horizontalpodautoscaler a value (kube-state-metrics v2.19.1 internal/store/horizontalpodautoscaler.go kube_horizontalpodautoscaler_spec_max_replicas)',
    ]);
  });

  it('Argo CD metrics without the ServiceMonitor, and by a label they do not have', () => {
    const prod = committedScenario('prod');
    const withoutMonitor: Scenario = {
      ...prod,
      objects: prod.objects.filter((o) => o.object.kind !== 'ServiceMonitor'),
    };
    expect(messages(withoutMonitor)).toEqual([
      'ConfigMap/payday-prod/dashboard-delivery: panel "successful syncs per day by Application" (payday-delivery.json): argocd_app_sync_total is exported by argo-cd v3.5.1 controller/metrics/metrics.go syncCounter, IncSync but nothing scrapes it: no ServiceMonitor selects Service argocd/argocd-metrics',
    ]);
    rules(prod).push({
      alert: 'Syncs',
      expr: 'sum(argocd_app_sync_total{dest_namespace="payday-prod"}) > 0',
    });
    expect(messages(prod)).toEqual([
      'PrometheusRule/payday-prod/payday-alerts: alert Syncs: argocd_app_sync_total has no label dest_namespace (it carries container, dest_server, dry_run, endpoint, exported_namespace, instance, job, name, namespace, phase, pod, project, service; exported by argo-cd v3.5.1 controller/metrics/metrics.go syncCounter, IncSync)',
    ]);
  });

  it('a frontend blue/green whose pre-promotion analysis sends no traffic', () => {
    const prod = committedScenario('prod');
    const rollout = find(prod, 'Rollout', 'frontend');
    const bg = (
      rollout.spec as { strategy: { blueGreen: { prePromotionAnalysis: { templates: unknown[] } } } }
    ).strategy.blueGreen;
    bg.prePromotionAnalysis.templates = [{ templateName: 'frontend-success-rate' }];
    expect(messages(prod)).toEqual([
      'Rollout/payday-prod/frontend: pre-promotion analysis frontend-success-rate sends no traffic to Service frontend-preview: only probes reach the preview pods, so a green analysis proves no real request succeeded (add a job metric whose Job requests pages through frontend-preview)',
    ]);
  });
});
