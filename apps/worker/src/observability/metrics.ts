/**
 * Prometheus metrics of the worker, with the names the Argo Rollouts analysis templates and the
 * dashboards query (team brief, "Metrics"). Every series carries `version` so the canary analysis
 * can compare the failure rate of the new version with the stable one; the pod-template-hash is
 * added by the PodMonitor relabeling. The registry is built from metric-definitions.ts, which the
 * cluster rehearsal reads without loading prom-client.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import {
  DELIVERIES,
  DEPTH,
  DURATION,
  type JobOutcome,
  OLDEST,
  PROCESSED,
  type WebhookOutcome,
} from './metric-definitions.js';

export type { JobOutcome, WebhookOutcome } from './metric-definitions.js';

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
