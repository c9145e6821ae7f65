/**
 * Worker configuration from the environment, validated once at start-up so a typo fails the
 * pod at boot (CrashLoopBackOff with a clear message) instead of at the first job.
 */
import { hostname } from 'node:os';
import { z } from 'zod';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  WORKER_PORT: int(0, 65_535).default(3002),
  /**
   * Interface of the health/metrics server: loopback unless told otherwise; the rendered pod sets
   * 0.0.0.0 (docs/design/architecture.md §Local bind addresses).
   */
  WORKER_HOST: z.string().min(1).default('127.0.0.1'),
  /** Jobs processed at the same time by this process. */
  WORKER_CONCURRENCY: int(1, 1000).default(10),
  /** Jobs claimed per query (≤ concurrency is useful; more just waits in memory). */
  WORKER_BATCH_SIZE: int(1, 1000).default(10),
  /** Sleep between polls when the queue is empty. */
  WORKER_POLL_INTERVAL_MS: int(10, 60_000).default(500),
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
  batchSize: number;
  pollIntervalMs: number;
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
    batchSize: e.WORKER_BATCH_SIZE,
    pollIntervalMs: e.WORKER_POLL_INTERVAL_MS,
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
