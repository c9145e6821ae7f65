/**
 * The job runner: claims batches, runs handlers with bounded concurrency, completes finished jobs
 * in batches, retries or dead-letters failed ones, keeps leases alive, and drains on stop.
 *
 * Delivery is at-least-once: a job is only marked completed after its handler returned (or inside
 * the handler's transaction), so a crash at any point leaves the job `running` with a lease that
 * expires and the rescue puts it back (docs/design/apps.md §Worker and the job queue; invariant 6
 * of docs/design/apps.md §Invariants).
 */
import {
  type ClaimedJob,
  claimJobs,
  completeJobInTransaction,
  completeJobs,
  type Database,
  deadLetterJob,
  extendLeases,
  LeaseLostError,
  releaseJobs,
  retryJob,
} from '@payday/db';
import { type Clock, databaseClock } from '../clock.js';
import type { Logger } from '../observability/logger.js';
import type { JobOutcome, WorkerMetrics } from '../observability/metrics.js';
import { currentTraceContext, withJobSpan } from '../observability/tracing.js';
import { backoffDelayMs } from '../retry/backoff.js';
import { type JobContext, type JobHandler, PermanentJobError, RetryableJobError } from './handler.js';

export interface RunnerOptions {
  database: Database;
  handlers: readonly JobHandler<unknown>[];
  workerId: string;
  /** Jobs running at once in this process. */
  concurrency: number;
  /** Jobs claimed per query. */
  batchSize: number;
  /** Sleep when the queue is empty. */
  pollIntervalMs: number;
  leaseMs: number;
  log: Logger;
  metrics?: WorkerMetrics;
  clock?: Clock;
  /** Jitter source for backoff; injectable for exact tests. */
  random?: () => number;
}

interface InFlight {
  job: ClaimedJob;
  abort: AbortController;
  started: number;
  done: Promise<void>;
}

export interface DrainResult {
  /** Jobs that finished during the drain. */
  finished: number;
  /** Jobs given back to the queue because the drain budget ran out. */
  released: number;
}

const DRAIN_REASON = 'worker is draining';

export class JobRunner {
  readonly #o: RunnerOptions;
  readonly #handlers: Map<string, JobHandler<unknown>>;
  readonly #inFlight = new Map<number, InFlight>();
  readonly #clock: Clock;
  #pendingComplete: { id: number; type: string; started: number }[] = [];
  #flushing: Promise<void> | undefined;
  #stopping = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #toRelease: number[] = [];

  constructor(options: RunnerOptions) {
    this.#o = options;
    this.#clock = options.clock ?? databaseClock;
    this.#handlers = new Map(options.handlers.map((h) => [h.type, h]));
  }

  /** Jobs currently held by this process. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  get running(): boolean {
    return this.#loop !== undefined && !this.#stopping;
  }

  start(): void {
    if (this.#loop) throw new Error('runner already started');
    this.#loop = this.#run();
    const beat = Math.max(250, Math.floor(this.#o.leaseMs / 3));
    this.#heartbeat = setInterval(() => void this.#extend(), beat);
    this.#heartbeat.unref();
  }

  /**
   * Claims one batch and processes it to the end (no loop): used by tests that step an injected
   * clock, and by the benchmark. Returns the number of jobs claimed.
   */
  async runOnce(): Promise<number> {
    const jobs = await this.#claim(this.#o.batchSize);
    for (const job of jobs) this.#dispatch(job);
    await Promise.all([...this.#inFlight.values()].map((f) => f.done));
    await this.#flush();
    return jobs.length;
  }

  /**
   * Graceful drain (SIGTERM): stop claiming, let in-flight jobs finish for up to `budgetMs`,
   * then abort the rest and release them to the queue without using an attempt.
   */
  async stop(budgetMs: number): Promise<DrainResult> {
    const before = this.#inFlight.size;
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
    const all = Promise.all([...this.#inFlight.values()].map((f) => f.done));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(true), budgetMs);
      }),
    ]);
    clearTimeout(timer);
    let released = 0;
    if (timedOut) {
      const left = [...this.#inFlight.values()];
      for (const f of left) f.abort.abort(new Error(DRAIN_REASON));
      // Handlers see the abort (HTTP requests are cancelled, transactions roll back) and settle.
      await Promise.all(left.map((f) => f.done));
    }
    await this.#flush();
    // The heartbeat ran through the drain: a drain longer than the lease must not let another
    // worker take over jobs this one is still finishing.
    clearInterval(this.#heartbeat);
    if (this.#toRelease.length) {
      const ids = this.#toRelease;
      this.#toRelease = [];
      released = (await releaseJobs(this.#o.database.sql, ids, { workerId: this.#o.workerId })).length;
      this.#o.log.info({ released_jobs: ids }, 'released unfinished jobs to the queue');
    }
    return { finished: before - released, released };
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      const free = this.#o.concurrency - this.#inFlight.size;
      if (free <= 0) {
        await this.#sleep(this.#o.pollIntervalMs);
        continue;
      }
      let jobs: ClaimedJob[];
      try {
        jobs = await this.#claim(Math.min(free, this.#o.batchSize));
      } catch (err) {
        this.#o.log.error({ err }, 'claiming jobs failed; retrying after the poll interval');
        await this.#sleep(this.#o.pollIntervalMs);
        continue;
      }
      if (this.#stopping) {
        // Claimed while a stop began: give them straight back.
        this.#toRelease.push(...jobs.map((j) => j.id));
        break;
      }
      for (const job of jobs) this.#dispatch(job);
      if (jobs.length === 0) await this.#sleep(this.#o.pollIntervalMs);
    }
  }

  #claim(limit: number): Promise<ClaimedJob[]> {
    return claimJobs(this.#o.database.sql, {
      workerId: this.#o.workerId,
      limit,
      leaseMs: this.#o.leaseMs,
      now: this.#clock.now(),
    });
  }

  /** Sleeps until the timeout, a stop, or a finished job frees a slot. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.#wake = undefined;
        resolve();
      }
      this.#wake = done;
    });
  }

  #dispatch(job: ClaimedJob): void {
    const abort = new AbortController();
    const entry: InFlight = { job, abort, started: performance.now(), done: Promise.resolve() };
    this.#inFlight.set(job.id, entry);
    entry.done = this.#process(entry).finally(() => {
      this.#inFlight.delete(job.id);
      this.#wake?.();
    });
  }

  async #process(entry: InFlight): Promise<void> {
    const { job, abort } = entry;
    const log = this.#o.log.child({ job_id: job.id, job_type: job.type, attempt: job.attempts });
    const handler = this.#handlers.get(job.type);
    if (!handler) {
      await this.#dead(entry, `unknown job type ${JSON.stringify(job.type)}`, log);
      return;
    }
    const parsed = handler.payload.safeParse(job.payload);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ');
      await this.#dead(entry, `malformed payload: ${issues}`, log);
      return;
    }
    let completedInTx = false;
    const ctx: JobContext = {
      job,
      database: this.#o.database,
      log,
      signal: abort.signal,
      workerId: this.#o.workerId,
      isLastAttempt: job.attempts >= job.maxAttempts,
      now: () => this.#clock.now(),
      complete: async (tx) => {
        await completeJobInTransaction(tx, job.id, { workerId: this.#o.workerId, now: this.#clock.now() });
        completedInTx = true;
      },
      traceContext: () => currentTraceContext() ?? job.traceContext,
    };
    try {
      await withJobSpan(job, () => handler.run(parsed.data, ctx));
    } catch (err) {
      await this.#failed(entry, handler, err, log);
      return;
    }
    if (completedInTx) {
      this.#record(job.type, 'completed', entry.started);
      log.debug('job completed');
      return;
    }
    this.#pendingComplete.push({ id: job.id, type: job.type, started: entry.started });
    // Yield one macrotask so every job of the batch that finishes in this tick joins one UPDATE.
    await new Promise((r) => setImmediate(r));
    await this.#flush();
  }

  /**
   * Completes every finished job in one statement. Jobs finishing while a flush runs wait for the
   * next one, so a batch of no-op jobs costs one UPDATE, not one per job.
   */
  async #flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    if (this.#pendingComplete.length === 0) return;
    const batch = this.#pendingComplete;
    this.#pendingComplete = [];
    this.#flushing = (async () => {
      try {
        const done = new Set(
          await completeJobs(
            this.#o.database.sql,
            batch.map((b) => b.id),
            { workerId: this.#o.workerId, now: this.#clock.now() },
          ),
        );
        for (const b of batch) {
          if (done.has(b.id)) this.#record(b.type, 'completed', b.started);
          else this.#o.log.warn({ job_id: b.id }, 'finished a job whose lease was lost; it will run again');
        }
      } catch (err) {
        // The jobs stay `running`; their leases expire and they run again (at-least-once).
        this.#o.log.error({ err, job_ids: batch.map((b) => b.id) }, 'completing jobs failed');
      } finally {
        this.#flushing = undefined;
      }
    })();
    await this.#flushing;
  }

  async #failed(entry: InFlight, handler: JobHandler<unknown>, err: unknown, log: Logger): Promise<void> {
    const { job, abort } = entry;
    const message = err instanceof Error ? err.message : String(err);
    try {
      if (err instanceof LeaseLostError) {
        log.warn({ err }, 'lease lost; the work was rolled back and another worker owns the job');
        return;
      }
      if (abort.signal.aborted && this.#stopping) {
        this.#toRelease.push(job.id);
        return;
      }
      if (err instanceof PermanentJobError) {
        await this.#dead(entry, message, log);
        return;
      }
      if (job.attempts >= job.maxAttempts) {
        await this.#dead(entry, `gave up after ${job.attempts} attempts: ${message}`, log);
        return;
      }
      let delayMs = backoffDelayMs(handler.backoff, job.attempts, this.#o.random);
      if (err instanceof RetryableJobError && err.retryAfterMs !== undefined) {
        delayMs = Math.max(delayMs, err.retryAfterMs);
      }
      const retried = await retryJob(this.#o.database.sql, job.id, {
        workerId: this.#o.workerId,
        now: this.#clock.now(),
        delayMs,
        error: message,
      });
      if (retried) {
        this.#record(job.type, 'retried', entry.started);
        log.warn(
          { err: message, retry_at: retried.runAt.toISOString(), delay_ms: delayMs },
          'job failed; will retry',
        );
      }
    } catch (dbErr) {
      log.error({ err: dbErr, job_error: message }, 'recording the failure failed; the lease will expire');
    }
  }

  async #dead(entry: InFlight, reason: string, log: Logger): Promise<void> {
    const ok = await deadLetterJob(this.#o.database.sql, entry.job.id, {
      workerId: this.#o.workerId,
      now: this.#clock.now(),
      reason,
    }).catch((err: unknown) => {
      log.error({ err }, 'dead-lettering failed; the lease will expire');
      return false;
    });
    if (ok) {
      this.#record(entry.job.type, 'dead', entry.started);
      log.error({ reason }, 'job dead-lettered');
    }
  }

  #record(type: string, outcome: JobOutcome, started: number): void {
    this.#o.metrics?.jobProcessed(type, outcome, (performance.now() - started) / 1000);
  }

  /** Heartbeat: extend held leases; abort jobs whose lease another worker took over. */
  async #extend(): Promise<void> {
    const ids = [...this.#inFlight.keys()];
    if (ids.length === 0) return;
    try {
      const kept = new Set(
        await extendLeases(this.#o.database.sql, ids, {
          workerId: this.#o.workerId,
          leaseMs: this.#o.leaseMs,
          now: this.#clock.now(),
        }),
      );
      for (const id of ids) {
        const f = this.#inFlight.get(id);
        if (f && !kept.has(id) && !this.#pendingComplete.some((p) => p.id === id)) {
          f.abort.abort(new Error('lease lost'));
        }
      }
    } catch (err) {
      this.#o.log.warn({ err }, 'lease heartbeat failed');
    }
  }
}
