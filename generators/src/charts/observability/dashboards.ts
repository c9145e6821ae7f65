import type { OpsSettings } from '../../environments/sections/operations.js';
import { environmentProject } from '../../platform.js';
import type { K8sObject } from '../../render/types.js';
import { kedaHpaName, workerAutoscaled } from '../app/autoscaling.js';
import type { BuilderContext } from '../context.js';
import { moduleSource } from '../factory.js';
import { meta, syncWave } from '../labels.js';
import { controllerMetric } from './promql.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

/**
 * Grafana dashboards as code: JSON generated from these typed definitions and shipped in
 * ConfigMaps carrying the label the Grafana sidecar watches (settings.monitoring.dashboardLabel;
 * kube-prometheus-stack: `grafana_dashboard: "1"`). The `grafana_folder` annotation files them
 * per environment. Output is deterministic: fixed uids, fixed panel ids, no timestamps.
 */

interface Panel {
  title: string;
  /** PromQL per series, keyed by legend format. */
  targets: Record<string, string>;
  unit: 'reqps' | 'percentunit' | 's' | 'short' | 'none';
  kind?: 'timeseries' | 'stat';
}

interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
}

/** Grafana dashboard JSON (schemaVersion 39), two panels per row. */
export function dashboardJson(d: Dashboard, env: string): Record<string, unknown> {
  return {
    uid: `${d.uid}-${env}`,
    title: `Payday ${env}: ${d.title}`,
    tags: ['payday', env],
    timezone: 'utc',
    schemaVersion: 39,
    editable: false,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    templating: {
      list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', current: {}, hide: 0 }],
    },
    panels: d.panels.map((p, i) => ({
      id: i + 1,
      type: p.kind ?? 'timeseries',
      title: p.title,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, resolved by Grafana.
      datasource: { type: 'prometheus', uid: '${datasource}' },
      gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      targets: Object.entries(p.targets).map(([legendFormat, expr], j) => ({
        refId: String.fromCharCode(65 + j),
        expr,
        legendFormat,
      })),
    })),
  };
}

/** The four dashboards of one environment. */
export function dashboards(ctx: BuilderContext): Dashboard[] {
  const nsName = ctx.namespace ?? '';
  const ns = `namespace="${nsName}"`;
  const hpa = kedaHpaName(ctx.apps.worker.name);
  const http = (app: string): Panel[] => [
    {
      title: `${app}: requests per second by version`,
      targets: { '{{version}}': `sum by (version) (rate(http_requests_total{${ns},app="${app}"}[5m]))` },
      unit: 'reqps',
    },
    {
      title: `${app}: 5xx ratio by version`,
      targets: {
        '{{version}}':
          `sum by (version) (rate(http_requests_total{${ns},app="${app}",status=~"5.."}[5m])) / ` +
          `sum by (version) (rate(http_requests_total{${ns},app="${app}"}[5m]))`,
      },
      unit: 'percentunit',
    },
    {
      title: `${app}: p95 latency by version`,
      targets: {
        '{{version}}': `histogram_quantile(0.95, sum by (le, version) (rate(http_request_duration_seconds_bucket{${ns},app="${app}"}[5m])))`,
      },
      unit: 's',
    },
  ];
  return [
    {
      uid: 'payday-health',
      title: 'service health',
      panels: [
        ...http('api'),
        ...http('frontend'),
        {
          title: 'worker: job outcomes per second',
          targets: { '{{outcome}}': `sum by (outcome) (rate(payday_jobs_processed_total{${ns}}[5m]))` },
          unit: 'short',
        },
        {
          title: 'webhook deliveries per second',
          targets: { '{{outcome}}': `sum by (outcome) (rate(payday_webhook_deliveries_total{${ns}}[5m]))` },
          unit: 'short',
        },
      ],
    },
    {
      uid: 'payday-rollouts',
      title: 'rollout progress',
      panels: [
        {
          title: 'rollout phase',
          targets: {
            '{{name}} {{phase}}': `max by (name, phase) (${controllerMetric('rollout_info', nsName)}) == 1`,
          },
          unit: 'none',
          kind: 'stat',
        },
        {
          title: 'api requests per second: canary vs stable (pod-template-hash)',
          targets: {
            '{{rollouts_pod_template_hash}}': `sum by (rollouts_pod_template_hash) (rate(http_requests_total{${ns},app="api"}[2m]))`,
          },
          unit: 'reqps',
        },
        {
          title: 'api 5xx ratio by pod-template-hash',
          targets: {
            '{{rollouts_pod_template_hash}}':
              `sum by (rollouts_pod_template_hash) (rate(http_requests_total{${ns},app="api",status=~"5.."}[2m])) / ` +
              `sum by (rollouts_pod_template_hash) (rate(http_requests_total{${ns},app="api"}[2m]))`,
          },
          unit: 'percentunit',
        },
        {
          title: 'worker job failure ratio by pod-template-hash',
          targets: {
            '{{rollouts_pod_template_hash}}':
              `sum by (rollouts_pod_template_hash) (rate(payday_jobs_processed_total{${ns},outcome=~"retried|dead"}[5m])) / ` +
              `sum by (rollouts_pod_template_hash) (rate(payday_jobs_processed_total{${ns}}[5m]))`,
          },
          unit: 'percentunit',
        },
        {
          title: 'analysis runs by phase',
          targets: {
            '{{phase}}': `count by (phase) (${controllerMetric('analysis_run_info', nsName)} == 1)`,
          },
          unit: 'short',
        },
      ],
    },
    {
      uid: 'payday-queue',
      title: 'queue depth vs worker replicas',
      panels: [
        {
          title: 'queue depth by type',
          targets: { '{{type}}': `sum by (type) (payday_queue_depth{${ns}})` },
          unit: 'short',
        },
        // KEDA's HPA exists only where the worker is autoscaled.
        ...(workerAutoscaled(ctx)
          ? [
              {
                title: 'worker replicas (current, desired, max)',
                targets: {
                  current: `max(kube_horizontalpodautoscaler_status_current_replicas{${ns},horizontalpodautoscaler="${hpa}"})`,
                  desired: `max(kube_horizontalpodautoscaler_status_desired_replicas{${ns},horizontalpodautoscaler="${hpa}"})`,
                  max: `max(kube_horizontalpodautoscaler_spec_max_replicas{${ns},horizontalpodautoscaler="${hpa}"})`,
                },
                unit: 'short' as const,
              },
            ]
          : []),
        {
          title: 'oldest queued job age by type',
          targets: { '{{type}}': `max by (type) (payday_queue_oldest_age_seconds{${ns}})` },
          unit: 's',
        },
        {
          title: 'job p95 duration by type',
          targets: {
            '{{type}}': `histogram_quantile(0.95, sum by (le, type) (rate(payday_job_duration_seconds_bucket{${ns}}[5m])))`,
          },
          unit: 's',
        },
      ],
    },
    {
      uid: 'payday-delivery',
      title: 'delivery',
      panels: [
        {
          title: 'successful syncs per day by Application',
          targets: {
            '{{name}}': `sum by (name) (increase(argocd_app_sync_total{project="${environmentProject(ctx.env.name)}",phase="Succeeded"}[1d]))`,
          },
          unit: 'short',
        },
        {
          title: 'running version per app',
          targets: { '{{app}} {{version}}': `count by (app, version) (http_requests_total{${ns}})` },
          unit: 'short',
          kind: 'stat',
        },
      ],
    },
  ];
}

export function dashboardConfigMaps(ctx: BuilderContext, s: OpsSettings): K8sObject[] {
  return dashboards(ctx).map((d) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(
      `dashboard-${d.uid.replace(/^payday-/, '')}`,
      ctx.namespace,
      { ...ctx.labels, ...s.monitoring.dashboardLabel },
      { grafana_folder: `Payday ${ctx.env.name}`, ...syncWave(1) },
    ),
    data: { [`${d.uid}.json`]: `${JSON.stringify(dashboardJson(d, ctx.env.name), null, 2)}\n` },
  }));
}
