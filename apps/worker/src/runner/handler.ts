/**
 * What a job type implements. A handler validates its payload with a zod schema (a malformed
 * payload is dead-lettered with the reason instead of crashing the worker), does its work, and
 * either returns (the job completes) or throws:
 *  - {@link PermanentJobError}: retrying cannot help (a 404 from the receiver, a missing row) → dead;
 *  - {@link RetryableJobError} or any other error: retried with the handler's backoff until the
 *    job's `max_attempts`, then dead.
 * Handlers whose side effects live in PostgreSQL call `ctx.complete(tx)` inside their own
 * transaction, so the effect and the completion commit together (exactly-once effects).
 */
import type { ClaimedJob, Database, Executor } from '@payday/db';
import type { z } from 'zod';
import type { Logger } from '../observability/logger.js';
import type { BackoffPolicy } from '../retry/backoff.js';

export interface JobContext {
  readonly job: ClaimedJob;
  readonly database: Database;
  readonly log: Logger;
  /** Aborted when the worker drains past its budget or the lease was lost. */
  readonly signal: AbortSignal;
  readonly workerId: string;
  /** The injected clock (`undefined`: the database's now()). */
  now(): Date | undefined;
  /** True when this attempt is the job's last: handlers turn "retry" into a final outcome. */
  readonly isLastAttempt: boolean;
  /** Completes the job inside `tx`; throws `LeaseLostError` (rolling `tx` back) if it is no longer ours. */
  complete(tx: Executor): Promise<void>;
  /** W3C trace context of the running span, stored on follow-up jobs and events. */
  traceContext(): Record<string, string> | null;
}

export interface JobHandler<P = unknown> {
  readonly type: string;
  readonly payload: z.ZodType<P>;
  readonly backoff: BackoffPolicy;
  run(payload: P, ctx: JobContext): Promise<void>;
}

/** Retrying cannot succeed: the job goes to the dead letter with this message. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

/** A transient failure; `retryAfterMs` raises the next delay (e.g. a receiver's Retry-After). */
export class RetryableJobError extends Error {
  override name = 'RetryableJobError';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Keeps the handler's payload type while storing handlers of different types in one list. */
export function defineHandler<P>(handler: JobHandler<P>): JobHandler<unknown> {
  return handler as JobHandler<unknown>;
}
