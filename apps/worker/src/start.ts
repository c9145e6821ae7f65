/**
 * Starts a complete worker in this process: database pool, job runner, housekeeping and the
 * health/metrics server. `scripts/start-services.ts`, `main.ts` and the tests all use this.
 */

import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createDatabase, type Database } from '@payday/db';
import type { Lookup } from '@payday/db/webhook-target';
import { type Clock, databaseClock } from './clock.js';
import type { WorkerConfig } from './config.js';
import { createApp } from './health-app.js';
import { createHandlers } from './jobs/registry.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics, type WorkerMetrics } from './observability/metrics.js';
import { Maintenance } from './runner/maintenance.js';
import { type DrainResult, JobRunner } from './runner/runner.js';

export interface RunningWorker {
  /** Base URL of the health/metrics server. */
  url: string;
  runner: JobRunner;
  metrics: WorkerMetrics;
  /** Drains (stop claiming, finish or release in-flight jobs) and closes everything. */
  close(): Promise<DrainResult>;
}

export interface StartOptions {
  log?: Logger;
  clock?: Clock;
  lookup?: Lookup;
  database?: Database;
}

/** A host for URLs: a wildcard bind is reached on loopback from this machine. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function start(config: WorkerConfig, options: StartOptions = {}): Promise<RunningWorker> {
  const log =
    options.log ??
    createLogger({ level: config.logLevel, workerId: config.workerId, version: config.version });
  const metrics = createMetrics(config.version);
  const ownDatabase = !options.database;
  const handlers = createHandlers({
    timeoutMs: config.webhookTimeoutMs,
    allowPrivateTargets: config.allowPrivateWebhookTargets,
    metrics,
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });
  const laneSlots = handlers.map((h) => config.typeConcurrency[h.type] ?? config.concurrency);
  const slots = 1 + laneSlots.reduce((a, b) => a + b, 0);
  // Connections are held by transactions, not by slots: a webhook waiting on its receiver holds
  // none. So the pool covers the largest lane running all its transactions at once, one more per
  // other lane, and claims, heartbeats and housekeeping (LISTEN has its own connection).
  const poolMax = Math.max(...laneSlots) + laneSlots.length + 3;
  const database =
    options.database ??
    createDatabase(config.databaseUrl, {
      max: poolMax,
      applicationName: `payday-worker ${config.workerId}`,
    });
  const clock = options.clock ?? databaseClock;
  const runner = new JobRunner({
    database,
    handlers,
    workerId: config.workerId,
    concurrency: config.concurrency,
    typeConcurrency: config.typeConcurrency,
    listen: config.listen,
    batchSize: config.batchSize,
    prefetch: config.prefetch,
    pollIntervalMs: config.pollIntervalMs,
    leaseMs: config.leaseMs,
    log,
    metrics,
    clock,
  });
  const maintenance = new Maintenance({
    database,
    log,
    metrics,
    clock,
    intervalMs: config.maintenanceIntervalMs,
    settlementEnabled: config.settlementEnabled,
    jobRetentionHours: config.jobRetentionHours,
    deadJobRetentionDays: config.deadJobRetentionDays,
  });
  let accepting = true;
  const app = createApp({ database, metrics, accepting: () => accepting });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  runner.start();
  maintenance.start();
  log.info(
    {
      host: config.host,
      port,
      slots,
      pool_max: poolMax,
      listen: config.listen,
      batch_size: config.batchSize,
      lease_ms: config.leaseMs,
    },
    'worker started',
  );
  let closing: Promise<DrainResult> | undefined;
  return {
    url: `http://${urlHost(config.host)}:${port}`,
    runner,
    metrics,
    close() {
      closing ??= (async () => {
        accepting = false;
        log.info({ in_flight: runner.inFlight, budget_ms: config.drainTimeoutMs }, 'draining');
        const result = await runner.stop(config.drainTimeoutMs);
        await maintenance.stop();
        await new Promise<void>((r) => server.close(() => r()));
        if (ownDatabase) await database.close();
        log.info(result, 'worker stopped');
        return result;
      })();
      return closing;
    },
  };
}
