/**
 * What the worker exports to Prometheus, as data: metric names, help texts, labels, buckets and
 * the label values the worker can produce. Kept apart from the registry (metrics.ts) so that
 * readers of the definitions alone, such as the cluster rehearsal's metric provenance check
 * (docs/rehearsal.md), do not load prom-client to learn them.
 */

export const JOB_OUTCOMES = ['completed', 'retried', 'dead'] as const;
export type JobOutcome = (typeof JOB_OUTCOMES)[number];
export const WEBHOOK_OUTCOMES = ['succeeded', 'failed', 'refused'] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

export const PROCESSED = {
  name: 'payday_jobs_processed_total',
  help: 'Jobs finished by this worker, by type and outcome (completed, retried, dead).',
  labelNames: ['type', 'outcome'] as const,
};
export const DURATION = {
  name: 'payday_job_duration_seconds',
  help: 'Time from claim to outcome of one job.',
  labelNames: ['type'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
};
export const DEPTH = {
  name: 'payday_queue_depth',
  help: 'Jobs queued or running, by type (the KEDA trigger runs the same query).',
  labelNames: ['type'] as const,
};
export const OLDEST = {
  name: 'payday_queue_oldest_age_seconds',
  help: 'Age of the oldest runnable queued job, by type.',
  labelNames: ['type'] as const,
};
export const DELIVERIES = {
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
