/**
 * One attempt of one job as its handler sees it (the `JobContext`), built for the common case:
 * a job that neither logs nor looks at its abort signal costs no child logger and no
 * AbortController. A CPU profile of a drain of no-op jobs at best settings (bench/README.md,
 * "Queue: wake-up, peers, and where the time goes") put creating the AbortSignal and the pino
 * child (which serialises its bindings) at about a tenth of the worker's main thread, and the
 * per-job closures of a context literal at a few percent more; here both are made on first use
 * and the methods live on the prototype.
 */
import { type ClaimedJob, completeJobInTransaction, type Database, type Executor } from '@payday/db';
import type { Clock } from '../clock.js';
import type { Logger } from '../observability/logger.js';
import { currentTraceContext } from '../observability/tracing.js';
import type { JobContext } from './handler.js';

export class JobRun implements JobContext {
  readonly job: ClaimedJob;
  readonly database: Database;
  readonly workerId: string;
  readonly isLastAttempt: boolean;
  /** Set once the handler completed the job inside its own transaction (`complete(tx)`). */
  completedInTx = false;
  readonly #parentLog: Logger;
  readonly #clock: Clock;
  #log: Logger | undefined;
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;

  constructor(job: ClaimedJob, database: Database, workerId: string, log: Logger, clock: Clock) {
    this.job = job;
    this.database = database;
    this.workerId = workerId;
    this.isLastAttempt = job.attempts >= job.maxAttempts;
    this.#parentLog = log;
    this.#clock = clock;
  }

  /** The worker's logger with `job_id`, `job_type` and `attempt` bound, made on first use. */
  get log(): Logger {
    this.#log ??= this.#parentLog.child({
      job_id: this.job.id,
      job_type: this.job.type,
      attempt: this.job.attempts,
    });
    return this.#log;
  }

  /** Aborted by {@link abort}; made on first use, already aborted when the abort came first. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Whether {@link abort} was called (without making a signal). */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** Drain past its budget, or the lease was lost: the handler's signal fires with `reason`. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }

  now(): Date | undefined {
    return this.#clock.now();
  }

  async complete(tx: Executor): Promise<void> {
    await completeJobInTransaction(tx, this.job.id, { workerId: this.workerId, now: this.#clock.now() });
    this.completedInTx = true;
  }

  traceContext(): Record<string, string> | null {
    return currentTraceContext() ?? this.job.traceContext;
  }
}
