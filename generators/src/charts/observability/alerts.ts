import type { OpsSettings } from '../../environments/sections/operations.js';
import type { K8sObject } from '../../render/types.js';
import { kedaHpaName, workerAutoscaled } from '../app/autoscaling.js';
import type { BuilderContext } from '../context.js';
import { moduleSource } from '../factory.js';
import { meta, syncWave } from '../labels.js';
import { DB_CLUSTER } from '../names.js';
import { controllerMetric } from './promql.js';
import { type RunbookKey, runbookUrl } from './runbook-links.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

/**
 * PrometheusRules of one environment. Every alert carries a `runbook_url` annotation pointing at a
 * file in runbooks/ (tests/runbooks.test.ts proves each one exists).
 *
 * SLO alerts use multiwindow, multi-burn-rate conditions (Google SRE Workbook, "Alerting on SLOs",
 * table 5-8): page when 2% of the 30-day error budget burns in 1 hour (burn rate 14.4, checked over
 * 1h and 5m so it also resets fast), open a ticket when 5% burns in 6 hours (burn rate 6, over 6h
 * and 30m). The budget is `1 - SLO` from settings.monitoring.
 */

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  severity: 'critical' | 'warning';
  summary: string;
  description: string;
  runbook: RunbookKey;
}

const BURN = [
  { name: 'Fast', long: '1h', short: '5m', factor: 14.4, for: '2m', severity: 'critical' },
  { name: 'Slow', long: '6h', short: '30m', factor: 6, for: '15m', severity: 'warning' },
] as const;

function round(n: number): string {
  return String(Number(n.toPrecision(6)));
}

/**
 * The `rollout_info` phases of a rollout that aborted or cannot progress (argo-rollouts v1.9.1
 * controller/metrics/rollouts.go calculatePhase: the metric has no `Degraded` phase).
 */
const ROLLOUT_FAILED_PHASES = 'Abort|Error|Timeout|InvalidSpec';

/** Alert rules, before they are wrapped into a PrometheusRule (exported for tests and the runbook check). */
export function alertRules(ctx: BuilderContext, s: OpsSettings): AlertRule[] {
  const m = s.monitoring;
  const nsName = ctx.namespace ?? '';
  const ns = `namespace="${nsName}"`;
  const hpa = kedaHpaName(ctx.apps.worker.name);
  const api = `${ns},app="api"`;
  const errorRatio = (w: string) =>
    `(sum(rate(http_requests_total{${api},status=~"5.."}[${w}])) / sum(rate(http_requests_total{${api}}[${w}])))`;
  const slowRatio = (w: string) =>
    `(1 - (sum(rate(http_request_duration_seconds_bucket{${api},le="${m.latencyThresholdSeconds}"}[${w}])) / ` +
    `sum(rate(http_request_duration_seconds_count{${api}}[${w}]))))`;
  const rules: AlertRule[] = [];
  for (const b of BURN) {
    const avail = round(b.factor * (1 - m.availabilitySlo));
    rules.push({
      alert: `PaydayApiAvailabilityBurn${b.name}`,
      expr: `${errorRatio(b.long)} > ${avail} and ${errorRatio(b.short)} > ${avail}`,
      for: b.for,
      severity: b.severity,
      summary: `Payments API is burning its availability error budget ${b.factor}x too fast`,
      description: `5xx ratio above ${avail} over ${b.long} and ${b.short} (SLO ${m.availabilitySlo}).`,
      runbook: 'apiSloBurn',
    });
    const lat = round(b.factor * (1 - m.latencySlo));
    rules.push({
      alert: `PaydayApiLatencyBurn${b.name}`,
      expr: `${slowRatio(b.long)} > ${lat} and ${slowRatio(b.short)} > ${lat}`,
      for: b.for,
      severity: b.severity,
      summary: `Payments API requests slower than ${m.latencyThresholdSeconds}s are burning the latency budget`,
      description: `Share of requests over ${m.latencyThresholdSeconds}s above ${lat} over ${b.long} and ${b.short}.`,
      runbook: 'apiSloBurn',
    });
  }
  const deliveries = (extra: string) => `sum(rate(payday_webhook_deliveries_total{${ns}${extra}}[30m]))`;
  rules.push(
    {
      alert: 'PaydayWebhookDeliverySuccessLow',
      expr:
        `(${deliveries(',outcome="succeeded"')} / ${deliveries('')}) < ${m.webhookSuccessRate} ` +
        `and ${deliveries('')} > 0.01`,
      for: '15m',
      severity: 'warning',
      summary: 'Webhook deliveries are failing',
      description: `Less than ${m.webhookSuccessRate * 100}% of webhook deliveries succeeded over 30 minutes.`,
      runbook: 'webhookFailures',
    },
    {
      alert: 'PaydayQueueOldestJobTooOld',
      expr: `max by (type) (payday_queue_oldest_age_seconds{${ns}}) > ${m.queueAgeSeconds}`,
      for: '5m',
      severity: 'critical',
      summary: 'Jobs are waiting too long in the queue',
      description: `The oldest runnable {{ $labels.type }} job is older than ${m.queueAgeSeconds}s.`,
      runbook: 'workerBacklog',
    },
    // Only where KEDA scales the worker: with fixed replicas there is no HPA to read.
    ...(workerAutoscaled(ctx)
      ? [
          {
            alert: 'PaydayWorkerAtMaxReplicas',
            expr:
              `max(kube_horizontalpodautoscaler_status_current_replicas{${ns},horizontalpodautoscaler="${hpa}"}) ` +
              `>= max(kube_horizontalpodautoscaler_spec_max_replicas{${ns},horizontalpodautoscaler="${hpa}"}) ` +
              `and sum(payday_queue_depth{${ns}}) > 0`,
            for: '15m',
            severity: 'warning' as const,
            summary: 'The worker is at its maximum replicas with a backlog',
            description:
              'KEDA cannot add workers; the backlog only shrinks as fast as the current replicas work.',
            runbook: 'workerBacklog' as const,
          },
        ]
      : []),
    {
      alert: 'PaydayRolloutDegraded',
      expr: `max by (name) (${controllerMetric('rollout_info', nsName, `phase=~"${ROLLOUT_FAILED_PHASES}"`)}) == 1`,
      for: '1m',
      severity: 'critical',
      summary: 'Rollout {{ $labels.name }} is Degraded (aborted or failing)',
      description: 'Argo Rollouts aborted or cannot progress; git still holds the new release.',
      runbook: 'rollbackAndAbort',
    },
    {
      alert: 'PaydayAnalysisRunFailed',
      expr: `max by (name) (${controllerMetric('analysis_run_info', nsName, 'phase=~"Failed|Error"')}) == 1`,
      for: '1m',
      severity: 'warning',
      summary: 'Analysis run {{ $labels.name }} failed',
      description: 'A canary or pre-promotion analysis failed; the rollout was aborted.',
      runbook: 'canaryAnalysisFailed',
    },
    {
      alert: 'PaydayBlueGreenPausedTooLong',
      expr: `max by (name) (${controllerMetric('rollout_info', nsName, 'strategy="blueGreen",phase="Paused"')}) == 1`,
      for: '2h',
      severity: 'warning',
      summary: 'Blue/green rollout {{ $labels.name }} has waited in preview for 2 hours',
      description: 'The preview stack is up but not promoted (inconclusive analysis or a manual gate).',
      runbook: 'blueGreenStuck',
    },
    {
      alert: 'PaydayDatabaseWalArchivingStale',
      expr: `max(cnpg_pg_stat_archiver_seconds_since_last_archival{${ns},pod=~"${DB_CLUSTER}-.*"}) > 900`,
      for: '10m',
      severity: 'critical',
      summary: 'WAL archiving has not succeeded for 15 minutes',
      description: 'Point-in-time recovery is at risk: the archive is behind the primary.',
      runbook: 'databaseRestore',
    },
    {
      alert: 'PaydayDatabaseReplicationLag',
      expr: `max(cnpg_pg_replication_lag{${ns},pod=~"${DB_CLUSTER}-.*"}) > 60`,
      for: '5m',
      severity: 'warning',
      summary: 'A database replica is more than 60 seconds behind',
      description: 'A failover now could lose recent transactions or take longer.',
      runbook: 'databaseFailover',
    },
  );
  return rules;
}

export function prometheusRule(ctx: BuilderContext, s: OpsSettings): K8sObject {
  const rules = alertRules(ctx, s).map((r) => ({
    alert: r.alert,
    expr: r.expr,
    for: r.for,
    labels: { severity: r.severity, environment: ctx.env.name },
    annotations: {
      summary: r.summary,
      description: r.description,
      runbook_url: runbookUrl(s.monitoring.runbookBaseUrl, r.runbook),
    },
  }));
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: meta(
      'payday-alerts',
      ctx.namespace,
      { ...ctx.labels, ...s.monitoring.selectorLabels },
      syncWave(1),
    ),
    spec: { groups: [{ name: 'payday.slo', rules }] },
  };
}
