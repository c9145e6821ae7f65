import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createDatabase, type Database } from '@payday/db';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import type { ApiEnv } from './config.js';
import type { Clock } from './http/clock.js';
import { createMetrics } from './http/metrics.js';
import { RateLimiter } from './http/rate-limit.js';
import { sweepIdempotencyKeys } from './idempotency/idempotent.js';
import { createLogger } from './telemetry/logger.js';
import { initTracing, type Tracing } from './telemetry/tracing.js';

export interface StartOptions {
  env: ApiEnv;
  logger?: Logger;
  /** Use this pool instead of opening one from DATABASE_URL (not closed by `close()`). */
  database?: Database;
  /** The rate limiters' clock (tests hold time still); default `Date.now`. */
  clock?: Clock;
}

export interface RunningApi {
  /** `http://host:port` the API listens on. */
  url: string;
  /** Set by `close()` before anything else: /readyz answers 503 from then on. */
  readonly lifecycle: { draining: boolean };
  /**
   * Graceful shutdown (docs/design/apps.md §Graceful shutdown): flip readiness, keep serving for
   * SHUTDOWN_DELAY_MS (the preStop window in which endpoints are removed), stop accepting,
   * close idle keep-alive sockets, let in-flight requests finish (bounded by
   * SHUTDOWN_TIMEOUT_MS), then drain the database pool.
   */
  close(): Promise<void>;
}

/** How often this replica sweeps expired Idempotency-Keys (any replica may; deletes are idempotent). */
const SWEEP_INTERVAL_MS = 10 * 60_000;

export async function start(options: StartOptions): Promise<RunningApi> {
  const { env } = options;
  const logger = options.logger ?? createLogger({ level: env.LOG_LEVEL, version: env.APP_VERSION });
  let tracing: Tracing | undefined;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    tracing = initTracing({
      endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: env.OTEL_SERVICE_NAME,
      version: env.APP_VERSION,
    });
    logger.info({ endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT }, 'exporting traces over OTLP');
  }
  const database =
    options.database ??
    createDatabase(env.DATABASE_URL, { max: env.DATABASE_POOL_MAX, applicationName: 'payday-api' });
  const lifecycle = { draining: false };
  const metrics = createMetrics({ version: env.APP_VERSION });
  const app = createApp({
    database,
    logger,
    metrics,
    version: env.APP_VERSION,
    lifecycle,
    rateLimiter: new RateLimiter(env.RATE_LIMIT_PER_SECOND, undefined, options.clock),
    authFailureLimiter: new RateLimiter(
      env.AUTH_FAILURES_PER_MINUTE / 60,
      env.AUTH_FAILURES_PER_MINUTE,
      options.clock,
    ),
    trustProxy: env.TRUST_PROXY,
    webhookUrls: { allowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS },
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    tracing: tracing !== undefined,
    // A group in flight holds a pool connection: never more groups than connections.
    paymentGroups: {
      maxInFlight: Math.min(env.PAYMENT_GROUPS_IN_FLIGHT, env.DATABASE_POOL_MAX),
      maxGroupSize: env.PAYMENT_GROUP_MAX_SIZE,
    },
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: env.API_PORT, hostname: env.API_HOST }, () => resolve(s));
    s.once('error', reject);
  });
  // Above typical load-balancer idle timeouts (60 s on AWS ALB) so the LB closes first.
  if ('keepAliveTimeout' in server) {
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
  }
  const address = server.address() as AddressInfo;
  const url = `http://${env.API_HOST === '0.0.0.0' ? '127.0.0.1' : env.API_HOST}:${address.port}`;

  const sweep = setInterval(() => {
    sweepIdempotencyKeys(database).then(
      (n) => n && logger.info({ deleted: n }, 'swept expired idempotency keys'),
      (error: unknown) => logger.warn({ err: error }, 'idempotency sweep failed'),
    );
  }, SWEEP_INTERVAL_MS);
  sweep.unref();

  let closing: Promise<void> | undefined;
  return {
    url,
    lifecycle,
    close() {
      closing ??= (async () => {
        const started = Date.now();
        lifecycle.draining = true;
        clearInterval(sweep);
        logger.info({ delay_ms: env.SHUTDOWN_DELAY_MS }, 'shutting down: readiness is now 503');
        if (env.SHUTDOWN_DELAY_MS > 0) await new Promise((r) => setTimeout(r, env.SHUTDOWN_DELAY_MS));
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        if ('closeIdleConnections' in server) server.closeIdleConnections();
        const timeout = new Promise<'timeout'>((r) =>
          setTimeout(() => r('timeout'), env.SHUTDOWN_TIMEOUT_MS).unref(),
        );
        if ((await Promise.race([closed, timeout])) === 'timeout') {
          logger.warn('in-flight requests did not finish in time; closing their connections');
          if ('closeAllConnections' in server) server.closeAllConnections();
        }
        if (!options.database) await database.close();
        await tracing?.shutdown();
        logger.info({ drain_ms: Date.now() - started }, 'shut down');
      })();
      return closing;
    },
  };
}
