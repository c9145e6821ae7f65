/**
 * Prometheus metrics of the worker, with the names the Argo Rollouts analysis templates and the
 * dashboards query (team brief, "Metrics"). Every series carries `version` so the canary analysis
 * can compare the failure rate of the new version with the stable one; the pod-template-hash is
 * added by the PodMonitor relabeling.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export const JOB_OUTCOMES = ['completed', 'retried', 'dead'] as const;
export type JobOutcome = (typeof JOB_OUTCOMES)[number];
export const WEBHOOK_OUTCOMES = ['succeeded', 'failed', 'refused'] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

const PROCESSED = {
  name: 'payday_jobs_processed_total',
  help: 'Jobs finished by this worker, by type and outcome (completed, retried, dead).',
  labelNames: ['type', 'outcome'] as const,
};
const DURATION = {
  name: 'payday_job_duration_seconds',
  help: 'Time from claim to outcome of one job.',
  labelNames: ['type'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
};
const DEPTH = {
  name: 'payday_queue_depth',
  help: 'Jobs queued or running, by type (the KEDA trigger runs the same query).',
  labelNames: ['type'] as const,
};
const OLDEST = {
  name: 'payday_queue_oldest_age_seconds',
  help: 'Age of the oldest runnable queued job, by type.',
  labelNames: ['type'] as const,
};
const DELIVERIES = {
  name: 'payday_webhook_deliveries_total',
  help: 'Webhook delivery attempts by outcome.',
  labelNames: ['outcome'] as const,
};

/**
 * What this module exports to Prometheus, read by the cluster rehearsal's metric provenance check
 * (docs/rehearsal.md): names, labels, buckets and the label values the worker can produce.
 */
export const METRIC_DEFINITIONS = {
  app: 'worker',
  defaultLabels: ['version'],
  uncountedPaths: [],
  metrics: [
    {
      name: PROCESSED.name,
      type: 'counter',
      labels: PROCESSED.labelNames,
      values: { outcome: JOB_OUTCOMES },
    },
    { name: DURATION.name, type: 'histogram', labels: DURATION.labelNames, buckets: DURATION.buckets },
    { name: DEPTH.name, type: 'gauge', labels: DEPTH.labelNames },
    { name: OLDEST.name, type: 'gauge', labels: OLDEST.labelNames },
    {
      name: DELIVERIES.name,
      type: 'counter',
      labels: DELIVERIES.labelNames,
      values: { outcome: WEBHOOK_OUTCOMES },
    },
  ],
} as const;

export interface WorkerMetrics {
  registry: Registry;
  jobProcessed(type: string, outcome: JobOutcome, seconds: number): void;
  webhookDelivery(outcome: WebhookOutcome): void;
  setQueueDepth(rows: readonly { type: string; depth: number; oldestAgeSeconds: number }[]): void;
}

export function createMetrics(version: string): WorkerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ version });
  const processed = new Counter({
    ...PROCESSED,
    labelNames: [...PROCESSED.labelNames],
    registers: [registry],
  });
  const duration = new Histogram({
    ...DURATION,
    labelNames: [...DURATION.labelNames],
    buckets: [...DURATION.buckets],
    registers: [registry],
  });
  const depth = new Gauge({ ...DEPTH, labelNames: [...DEPTH.labelNames], registers: [registry] });
  const oldest = new Gauge({ ...OLDEST, labelNames: [...OLDEST.labelNames], registers: [registry] });
  const deliveries = new Counter({
    ...DELIVERIES,
    labelNames: [...DELIVERIES.labelNames],
    registers: [registry],
  });
  const seenTypes = new Set<string>();
  return {
    registry,
    jobProcessed(type, outcome, seconds) {
      processed.inc({ type, outcome });
      duration.observe({ type }, seconds);
    },
    webhookDelivery(outcome) {
      deliveries.inc({ outcome });
    },
    setQueueDepth(rows) {
      const now = new Set(rows.map((r) => r.type));
      // A type whose queue emptied must read 0, not keep its last value.
      for (const t of seenTypes) {
        if (!now.has(t)) {
          depth.set({ type: t }, 0);
          oldest.set({ type: t }, 0);
        }
      }
      for (const r of rows) {
        seenTypes.add(r.type);
        depth.set({ type: r.type }, r.depth);
        oldest.set({ type: r.type }, r.oldestAgeSeconds);
      }
    },
  };
}
