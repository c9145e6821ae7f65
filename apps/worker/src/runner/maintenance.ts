/**
 * Periodic queue housekeeping every worker runs beside its runner (idempotent, so several
 * replicas doing it is harmless):
 *  - rescue expired leases (a crashed worker's jobs come back);
 *  - refresh the queue depth gauges for /metrics;
 *  - enqueue yesterday's `payout.settle` (unique key: one per day whoever enqueues it);
 *  - prune finished jobs past retention.
 */
import { type Database, enqueue, pruneJobs, queueDepthByType, rescueExpiredLeases } from '@payday/db';
import type { Clock } from '../clock.js';
import type { Logger } from '../observability/logger.js';
import type { WorkerMetrics } from '../observability/metrics.js';

export interface MaintenanceOptions {
  database: Database;
  log: Logger;
  metrics?: WorkerMetrics;
  clock: Clock;
  intervalMs: number;
  settlementEnabled: boolean;
  jobRetentionHours: number;
  deadJobRetentionDays: number;
}

/** The settlement date a run at `now` settles: the previous UTC day. */
export function settlementDate(now: Date): string {
  return new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
}

export class Maintenance {
  readonly #o: MaintenanceOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #lastPrune = 0;

  constructor(options: MaintenanceOptions) {
    this.#o = options;
  }

  start(): void {
    const tick = () => {
      this.#running = this.tick().finally(() => {
        this.#running = undefined;
      });
    };
    tick();
    this.#timer = setInterval(tick, this.#o.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One round of every task; each failure is logged and does not stop the others. */
  async tick(): Promise<void> {
    const { database, log, clock } = this.#o;
    const now = clock.now();
    const wall = now ?? new Date();
    await this.#step('rescue', async () => {
      const rescued = await rescueExpiredLeases(database.sql, { now });
      if (rescued.length) log.warn({ jobs: rescued }, 'returned jobs with expired leases');
    });
    await this.#step('depth', async () => {
      this.#o.metrics?.setQueueDepth(await queueDepthByType(database.sql, { now }));
    });
    if (this.#o.settlementEnabled) {
      await this.#step('settlement', async () => {
        const date = settlementDate(wall);
        const job = await enqueue(database.db, {
          type: 'payout.settle',
          payload: { date },
          uniqueKey: `payout.settle:${date}`,
          ...(now ? { runAt: now } : {}),
        });
        if (job) log.info({ date, job_id: job.id }, 'enqueued daily settlement');
      });
    }
    if (wall.getTime() - this.#lastPrune >= 60_000) {
      this.#lastPrune = wall.getTime();
      await this.#step('prune', async () => {
        const deleted = await pruneJobs(database.sql, {
          completedBefore: new Date(wall.getTime() - this.#o.jobRetentionHours * 3_600_000),
          deadBefore: new Date(wall.getTime() - this.#o.deadJobRetentionDays * 86_400_000),
        });
        if (deleted) log.info({ deleted }, 'pruned finished jobs');
      });
    }
  }

  async #step(name: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.#o.log.error({ err, task: name }, 'maintenance task failed');
    }
  }
}
