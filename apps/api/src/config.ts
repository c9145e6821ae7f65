import { z } from 'zod';
import { DEFAULT_PAYMENT_GROUPS } from './payments/creation-batcher.js';

const port = z.coerce.number().int().min(0).max(65535);
const ms = z.coerce.number().int().min(0);

/**
 * The API's configuration, from environment variables, validated once at startup. Every
 * variable has a default that works for `npm start`, except DATABASE_URL in production.
 */
export const envSchema = z.object({
  /** postgres:// URL of the `payday` database. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  API_PORT: port.default(3000),
  /**
   * Interface to listen on: loopback by default; the rendered pod sets 0.0.0.0
   * (docs/design/architecture.md §Local bind addresses).
   */
  API_HOST: z.string().min(1).default('127.0.0.1'),
  /** Release version, the `version` label on every metric. */
  APP_VERSION: z.string().min(1).default('dev'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** postgres.js pool size per process. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * Payment creations are grouped into one statement per group (apps/api/README.md, "Group
   * commit of payment creations"): at most this many group statements in flight at once, each
   * on one pool connection (capped at DATABASE_POOL_MAX) …
   */
  PAYMENT_GROUPS_IN_FLIGHT: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(DEFAULT_PAYMENT_GROUPS.maxInFlight),
  /** … and at most this many payments per statement. */
  PAYMENT_GROUP_MAX_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(DEFAULT_PAYMENT_GROUPS.maxGroupSize),
  /**
   * After SIGTERM, keep serving (readiness 503) this long before closing the listener, so load
   * balancers stop routing first. Match the pod's preStop sleep; 0 locally.
   */
  SHUTDOWN_DELAY_MS: ms.default(0),
  /** Upper bound for in-flight requests to finish once the listener is closed. */
  SHUTDOWN_TIMEOUT_MS: ms.default(20_000),
  /** Requests per second per credential (token bucket, burst = 2× rate); 0 disables. */
  RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).default(100),
  /**
   * Failed authentications per client address per minute (token bucket, burst = the same
   * number); past it, 429 with Retry-After before any database lookup. 0 disables.
   */
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().min(0).default(60),
  /**
   * Behind a reverse proxy (the cluster's ingress): take the client address from the right-most
   * `X-Forwarded-For` entry. Never on a directly exposed port, where a client could set it.
   */
  TRUST_PROXY: z.stringbool().default(false),
  /**
   * Accept webhook URLs on loopback and private addresses at registration. Local runs only (npm
   * start's webhook sink on 127.0.0.1), like the worker's variable of the same name.
   */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: z.stringbool().default(false),
  /** Largest accepted request body. */
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
  /** OTLP/HTTP endpoint; traces are exported only when set (e.g. http://otel-collector:4318). */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('payday-api'),
});

export type ApiEnv = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid API configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Parses the environment, naming every bad variable at once (not only the first). */
export function loadEnv(source: Record<string, string | undefined> = process.env): ApiEnv {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((i) => {
      const name = String(i.path[0] ?? '(root)');
      const value = source[name];
      return value === undefined
        ? `${name}: is required`
        : `${name}: ${i.message} (got ${JSON.stringify(name === 'DATABASE_URL' ? redactUrl(value) : value)})`;
    }),
  );
}

/** A database URL without its password, for messages and logs. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable)';
  }
}
