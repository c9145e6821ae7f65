import { METRIC_DEFINITIONS as API } from '@payday/api/metric-definitions';
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../model.js';
import type { AppMetricDefinitions } from './apps.js';
import { metricFindings } from './index.js';
import {
  alerts,
  analysisTemplate,
  chartApplication,
  dashboard,
  podMonitor,
  prometheusMetric,
  rollout,
  rolloutsApplication,
  scenario,
} from './testing/fixtures.js';

const messages = (objects: K8sObject[], apps?: AppMetricDefinitions[]) =>
  metricFindings(scenario(objects), apps ? { apps } : {}).map((f) => `${f.subject}: ${f.message}`);

const api = [rollout('api'), podMonitor('api')];
const GUARD = 'sum(increase(http_requests_total{namespace="payday-prod",app="api"}[120s])) >= 20';

describe('metric provenance: probe and scrape traffic', () => {
  /** The API as it was: probes and /metrics counted in http_requests_total. */
  const countingProbes: AppMetricDefinitions = { ...API, uncountedPaths: [] };

  it('an analysis over a request counter that counts probes, without a route filter, is an error', () => {
    expect(
      messages(
        [...api, analysisTemplate('api-canary', [prometheusMetric('guard', GUARD)])],
        [countingProbes],
      ),
    ).toEqual([
      'AnalysisTemplate/payday-prod/api-canary: metric guard: http_requests_total counts /healthz, /metrics, /readyz (probes and scrapes of app api) and the selector does not exclude them: an idle pod meets a request-count guard and probes dilute the success rate and latency',
    ]);
  });

  it('the same query is fine once the route matcher leaves them out, or once the app stops counting them', () => {
    const filtered = GUARD.replace('app="api"', 'app="api",route!~"/healthz|/readyz|/metrics"');
    expect(
      messages([...api, analysisTemplate('a', [prometheusMetric('guard', filtered)])], [countingProbes]),
    ).toEqual([]);
    expect(messages([...api, analysisTemplate('a', [prometheusMetric('guard', GUARD)])])).toEqual([]);
  });

  it('a filter that lets one probe path through is still an error; dashboards are not gated', () => {
    const partial = GUARD.replace('app="api"', 'app="api",route!="/healthz"');
    expect(messages([...api, alerts([{ alert: 'Slo', expr: partial }])], [countingProbes])).toEqual([
      'PrometheusRule/payday-prod/payday-alerts: alert Slo: http_requests_total counts /metrics, /readyz (probes and scrapes of app api) and the selector does not exclude them: an idle pod meets a request-count guard and probes dilute the success rate and latency',
    ]);
    const panel = JSON.stringify({ panels: [{ title: 'rps', targets: [{ expr: GUARD }] }] });
    expect(messages([...api, dashboard('d.json', panel)], [countingProbes])).toEqual([]);
  });
});

describe('metric provenance: names, labels and values', () => {
  it('a metric nothing exports', () => {
    expect(messages([...api, alerts([{ alert: 'A', expr: 'payday_made_up_total > 0' }])])).toEqual([
      'PrometheusRule/payday-prod/payday-alerts: alert A: payday_made_up_total is exported by nothing in this cluster (neither our apps, a pinned upstream component nor a recording rule)',
    ]);
  });

  it('a recording rule exports its record name', () => {
    expect(
      messages([
        alerts([
          { record: 'payday:x:rate5m', expr: 'vector(1)' },
          { alert: 'A', expr: 'payday:x:rate5m > 1' },
        ]),
      ]),
    ).toEqual([]);
  });

  it('an app metric with no PodMonitor selecting the app, and an app that is not deployed', () => {
    expect(messages([rollout('api'), alerts([{ alert: 'A', expr: 'http_requests_total > 0' }])])).toEqual([
      'PrometheusRule/payday-prod/payday-alerts: alert A: http_requests_total is exported by app frontend (@payday/frontend/metric-definitions METRIC_DEFINITIONS) but nothing scrapes it: app frontend is not deployed in this scenario',
    ]);
    expect(messages([rollout('worker'), alerts([{ alert: 'A', expr: 'payday_queue_depth > 0' }])])).toEqual([
      'PrometheusRule/payday-prod/payday-alerts: alert A: payday_queue_depth is exported by app worker (@payday/worker/metric-definitions METRIC_DEFINITIONS) but nothing scrapes it: no PodMonitor selects the pods of Rollout/worker',
    ]);
  });

  it('a label the metric does not carry, and a `by` over one', () => {
    expect(
      messages([
        ...api,
        alerts([{ alert: 'A', expr: 'sum by (zone) (rate(http_requests_total{region="eu"}[5m]))' }]),
      ]),
    ).toEqual([
      'PrometheusRule/payday-prod/payday-alerts: alert A: http_requests_total has no label region (it carries app, app_kubernetes_io_name, container, endpoint, instance, job, method, namespace, pod, rollouts_pod_template_hash, route, status, version; exported by app api (@payday/api/metric-definitions METRIC_DEFINITIONS), scraped by PodMonitor/payday-prod/api)',
      'PrometheusRule/payday-prod/payday-alerts: alert A: by (zone) over http_requests_total, which has no label zone (app api (@payday/api/metric-definitions METRIC_DEFINITIONS), scraped by PodMonitor/payday-prod/api)',
    ]);
  });

  it('label values the exporter never produces: app, namespace, job, histogram bucket', () => {
    const q = [
      'http_requests_total{app="payments"}',
      'http_requests_total{namespace="payday-staging"}',
      'http_request_duration_seconds_bucket{app="api",le="0.3"}',
      'http_request_duration_seconds_bucket{app="api",le=~"0.5|\\\\+Inf"}',
    ];
    expect(messages([...api, alerts(q.map((expr, i) => ({ alert: `A${i}`, expr })))])).toEqual([
      'PrometheusRule/payday-prod/payday-alerts: alert A0: http_requests_total{app="payments"} never matches: app is one of "api" (app api (@payday/api/metric-definitions METRIC_DEFINITIONS), scraped by PodMonitor/payday-prod/api)',
      'PrometheusRule/payday-prod/payday-alerts: alert A1: http_requests_total{namespace="payday-staging"} never matches: namespace is one of "payday-prod" (app api (@payday/api/metric-definitions METRIC_DEFINITIONS), scraped by PodMonitor/payday-prod/api)',
      'PrometheusRule/payday-prod/payday-alerts: alert A2: http_request_duration_seconds_bucket{le="0.3"} never matches: le is one of "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf" (app api (@payday/api/metric-definitions METRIC_DEFINITIONS), scraped by PodMonitor/payday-prod/api)',
    ]);
  });

  it('Argo Rollouts metrics: the controller namespace is `namespace`, the rollout namespace is `exported_namespace`, phases are the controller constants', () => {
    const expr = 'rollout_info{namespace="payday-prod",phase="Degraded"}';
    expect(messages([rolloutsApplication(), alerts([{ alert: 'Degraded', expr }])])).toEqual([
      'PrometheusRule/payday-prod/payday-alerts: alert Degraded: rollout_info{namespace="payday-prod"} never matches: namespace is one of "argo-rollouts" (argo-rollouts v1.9.1 controller/metrics/prommetrics.go MetricRolloutInfo; values: controller/metrics/rollouts.go)',
      'PrometheusRule/payday-prod/payday-alerts: alert Degraded: rollout_info{phase="Degraded"} never matches: phase is one of "Progressing", "Completed", "Paused", "Error", "Timeout", "Abort", "InvalidSpec" (argo-rollouts v1.9.1 controller/metrics/prommetrics.go MetricRolloutInfo; values: controller/metrics/rollouts.go)',
    ]);
    const fixed = 'rollout_info{exported_namespace="payday-prod",phase=~"Abort|Error|Timeout"}';
    expect(messages([rolloutsApplication(), alerts([{ alert: 'Degraded', expr: fixed }])])).toEqual([]);
    expect(messages([alerts([{ alert: 'Degraded', expr: fixed }])])).toEqual([
      'PrometheusRule/payday-prod/payday-alerts: alert Degraded: rollout_info is exported by argo-rollouts v1.9.1 controller/metrics/prommetrics.go MetricRolloutInfo; values: controller/metrics/rollouts.go but nothing scrapes it: no Application installs the argo-rollouts chart',
    ]);
  });

  it('Argo CD metrics need a ServiceMonitor, and argocd_app_sync_total has no dest_namespace', () => {
    const expr = 'argocd_app_sync_total{dest_namespace="payday-prod",phase="Succeeded"}';
    expect(
      messages([dashboard('d.json', JSON.stringify({ panels: [{ title: 'syncs', targets: [{ expr }] }] }))]),
    ).toEqual([
      'ConfigMap/payday-prod/dashboard: panel "syncs" (d.json): argocd_app_sync_total is exported by argo-cd v3.5.1 controller/metrics/metrics.go syncCounter, IncSync but nothing scrapes it: no ServiceMonitor selects Service argocd/argocd-metrics',
    ]);
    const monitor: K8sObject = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'argocd-metrics', namespace: 'argocd' },
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-metrics' } },
        endpoints: [{ port: 'metrics' }],
      },
    };
    expect(messages([monitor, alerts([{ alert: 'S', expr }])])).toEqual([
      'PrometheusRule/payday-prod/payday-alerts: alert S: argocd_app_sync_total has no label dest_namespace (it carries container, dest_server, dry_run, endpoint, exported_namespace, instance, job, name, namespace, phase, pod, project, service; exported by argo-cd v3.5.1 controller/metrics/metrics.go syncCounter, IncSync)',
    ]);
    expect(
      messages([
        monitor,
        alerts([{ alert: 'S', expr: 'argocd_app_sync_total{project="payday-prod",phase="Succeeded"}' }]),
      ]),
    ).toEqual([]);
  });

  it('kube-state-metrics HPA names come from the HPAs and ScaledObjects of the cluster', () => {
    const kps = chartApplication('kube-prometheus-stack', 'monitoring', {});
    const expr =
      'kube_horizontalpodautoscaler_spec_max_replicas{namespace="payday-prod",horizontalpodautoscaler="keda-hpa-worker"}';
    expect(messages([kps, alerts([{ alert: 'Max', expr }])])).toEqual([
      'PrometheusRule/payday-prod/payday-alerts: alert Max: kube_horizontalpodautoscaler_spec_max_replicas{horizontalpodautoscaler="keda-hpa-worker"} never matches: nothing in this cluster gives horizontalpodautoscaler a value (kube-state-metrics v2.19.1 internal/store/horizontalpodautoscaler.go kube_horizontalpodautoscaler_spec_max_replicas)',
    ]);
    const scaled: K8sObject = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'worker', namespace: 'payday-prod' },
      spec: { triggers: [] },
    };
    expect(messages([kps, scaled, alerts([{ alert: 'Max', expr }])])).toEqual([]);
  });
});

describe('metric provenance: what it cannot read fails closed', () => {
  it('PromQL the grammar rejects, providers and triggers it cannot trace, dashboard JSON that does not parse', () => {
    const scaled: K8sObject = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'worker', namespace: 'payday-prod' },
      spec: {
        triggers: [
          { type: 'cron', name: 'office-hours', metadata: {} },
          { type: 'postgresql', name: 'depth', metadata: { query: 'SELECT count(*) FROM jobs' } },
          {
            type: 'prometheus',
            name: 'rps',
            metadata: { query: 'sum(rate(http_requests_total{app="api"}[1m])' },
          },
        ],
      },
    };
    expect(
      messages([
        ...api,
        scaled,
        analysisTemplate('t', [{ name: 'dd', provider: { datadog: { query: 'avg:x' } } }]),
        dashboard('broken.json', '{"panels": ['),
        dashboard(
          'grafana-var.json',
          JSON.stringify({ panels: [{ title: 'p', targets: [{ expr: 'rate(x[$__rate_interval])' }] }] }),
        ),
      ]),
    ).toEqual([
      'ScaledObject/payday-prod/worker: trigger office-hours: trigger type cron cannot be traced (the rehearsal reads prometheus and postgresql)',
      'AnalysisTemplate/payday-prod/t: metric dd: provider datadog cannot be traced (the rehearsal reads prometheus and job)',
      expect.stringMatching(
        /^ConfigMap\/payday-prod\/dashboard: broken.json: dashboard JSON does not parse: /,
      ),
      'ScaledObject/payday-prod/worker: trigger rps: cannot trace the query: PromQL syntax error at offset 44: …',
      'ConfigMap/payday-prod/dashboard: panel "p" (grafana-var.json): cannot trace the query: PromQL syntax error at offset 7: …$__rate_interval])',
      'ScaledObject/payday-prod/worker: trigger depth: the postgresql query is not a statement @payday/db exports (KEDA_QUEUE_DEPTH_SQL), so nothing tests it against the schema',
    ]);
  });
});

describe('metric provenance: blue/green pre-promotion traffic', () => {
  const blueGreen = rollout('frontend', {
    blueGreen: {
      activeService: 'frontend',
      previewService: 'frontend-preview',
      prePromotionAnalysis: { templates: [{ templateName: 'frontend-preview' }] },
    },
  });
  const rate = prometheusMetric('success-rate', 'sum(rate(http_requests_total{app="frontend"}[2m]))');

  it('an analysis that only reads metrics sends no traffic to the preview Service', () => {
    expect(
      messages([blueGreen, podMonitor('frontend'), analysisTemplate('frontend-preview', [rate])]),
    ).toEqual([
      'Rollout/payday-prod/frontend: pre-promotion analysis frontend-preview sends no traffic to Service frontend-preview: only probes reach the preview pods, so a green analysis proves no real request succeeded (add a job metric whose Job requests pages through frontend-preview)',
    ]);
  });

  it('a job metric whose Job requests pages through the preview Service is real traffic', () => {
    const smoke = {
      name: 'smoke',
      provider: {
        job: {
          spec: {
            template: {
              spec: { containers: [{ name: 'smoke', args: ['http://frontend-preview:8080/login'] }] },
            },
          },
        },
      },
    };
    expect(
      messages([blueGreen, podMonitor('frontend'), analysisTemplate('frontend-preview', [smoke, rate])]),
    ).toEqual([]);
  });
});
