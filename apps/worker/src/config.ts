/**
 * Worker configuration from the environment, validated once at start-up so a typo fails the
 * pod at boot (CrashLoopBackOff with a clear message) instead of at the first job.
 */
import { hostname } from 'node:os';
import { z } from 'zod';
import { WORKER_JOB_TYPES } from './jobs/types.js';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  WORKER_PORT: int(0, 65_535).default(3002),
  /**
   * Interface of the health/metrics server: loopback unless told otherwise; the rendered pod sets
   * 0.0.0.0 (docs/design/architecture.md §Local bind addresses).
   */
  WORKER_HOST: z.string().min(1).default('127.0.0.1'),
  /** Jobs of ONE type processed at the same time by this process: every type has its own slots. */
  WORKER_CONCURRENCY: int(1, 1000).default(10),
  /** Per-type overrides of WORKER_CONCURRENCY: `webhook.deliver=20,payout.settle=1`. */
  WORKER_TYPE_CONCURRENCY: z
    .string()
    .default('')
    .transform((text, ctx) => {
      const out: Record<string, number> = {};
      for (const part of text
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const m = /^([a-z][a-z0-9_.-]*)=(\d{1,4})$/.exec(part);
        const n = m ? Number(m[2]) : 0;
        if (!m || n < 1 || n > 1000) {
          ctx.addIssue({ code: 'custom', message: `"${part}" is not type=slots with slots 1..1000` });
          return z.NEVER;
        }
        const type = m[1]!;
        // A misspelt type would otherwise be ignored and its lane keep the default slots.
        if (!(WORKER_JOB_TYPES as readonly string[]).includes(type)) {
          ctx.addIssue({
            code: 'custom',
            message: `"${type}" is not a job type this worker runs (${WORKER_JOB_TYPES.join(', ')})`,
          });
          return z.NEVER;
        }
        out[type] = n;
      }
      return out;
    }),
  /** Jobs claimed per query (≤ concurrency + prefetch is useful). */
  WORKER_BATCH_SIZE: int(1, 1000).default(10),
  /** Jobs a type may hold claimed beyond its slots, so the next batch waits locally (0: none). */
  WORKER_PREFETCH: int(0, 10_000).default(0),
  /** Sleep between polls when the queue is empty (the fallback when a notification is missed). */
  WORKER_POLL_INTERVAL_MS: int(10, 60_000).default(500),
  /** LISTEN for the enqueue trigger's notifications and claim at once (apps/worker/README.md). */
  WORKER_LISTEN: z.stringbool().default(true),
  /** How long a claimed job stays ours without a heartbeat; a crashed worker's jobs return after it. */
  WORKER_LEASE_MS: int(1000, 3_600_000).default(60_000),
  /** SIGTERM drain budget; keep below terminationGracePeriodSeconds (runbook: 120 s for the worker). */
  WORKER_DRAIN_TIMEOUT_MS: int(0, 600_000).default(90_000),
  /** Period of lease rescue, queue-depth refresh, settlement scheduling and pruning. */
  WORKER_MAINTENANCE_INTERVAL_MS: int(50, 600_000).default(5000),
  WORKER_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
  /** Receivers must answer within this (Adyen asks receivers for 10 s). */
  WEBHOOK_TIMEOUT_MS: int(100, 60_000).default(10_000),
  /** Local runs only: lets webhooks reach 127.0.0.1 (npm start's sink). Never in a cluster. */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: z.stringbool().default(false),
  /** Completed jobs are deleted after this; dead jobs are kept for inspection and resend. */
  JOB_RETENTION_HOURS: int(0, 24 * 365).default(24),
  DEAD_JOB_RETENTION_DAYS: int(1, 3650).default(30),
  /** Enqueue the daily `payout.settle` for the previous UTC day. */
  SETTLEMENT_ENABLED: z.stringbool().default(true),
  APP_VERSION: z.string().min(1).default('dev'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
});

export type WorkerEnv = z.infer<typeof schema>;

export interface WorkerConfig {
  databaseUrl: string;
  port: number;
  /** Interface the health/metrics server listens on. */
  host: string;
  concurrency: number;
  typeConcurrency: Record<string, number>;
  batchSize: number;
  prefetch: number;
  pollIntervalMs: number;
  listen: boolean;
  leaseMs: number;
  drainTimeoutMs: number;
  maintenanceIntervalMs: number;
  workerId: string;
  webhookTimeoutMs: number;
  allowPrivateWebhookTargets: boolean;
  jobRetentionHours: number;
  deadJobRetentionDays: number;
  settlementEnabled: boolean;
  version: string;
  logLevel: WorkerEnv['LOG_LEVEL'];
  otlpEndpoint?: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses `env` (default `process.env`); throws a {@link ConfigError} naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid worker configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    port: e.WORKER_PORT,
    host: e.WORKER_HOST,
    concurrency: e.WORKER_CONCURRENCY,
    typeConcurrency: e.WORKER_TYPE_CONCURRENCY,
    batchSize: e.WORKER_BATCH_SIZE,
    prefetch: e.WORKER_PREFETCH,
    pollIntervalMs: e.WORKER_POLL_INTERVAL_MS,
    listen: e.WORKER_LISTEN,
    leaseMs: e.WORKER_LEASE_MS,
    drainTimeoutMs: e.WORKER_DRAIN_TIMEOUT_MS,
    maintenanceIntervalMs: e.WORKER_MAINTENANCE_INTERVAL_MS,
    workerId: e.WORKER_ID,
    webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
    allowPrivateWebhookTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    jobRetentionHours: e.JOB_RETENTION_HOURS,
    deadJobRetentionDays: e.DEAD_JOB_RETENTION_DAYS,
    settlementEnabled: e.SETTLEMENT_ENABLED,
    version: e.APP_VERSION,
    logLevel: e.LOG_LEVEL,
    ...(e.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
  };
}
