import { sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { jobs } from '../schema/jobs.js';
import { defaultMaxAttempts } from './job-types.js';
import { ENQUEUE_MANY_SQL } from './statements.js';

/** Payloads of the job types (team brief, "The jobs table"). */
export interface JobPayloads {
  'payment.process': { payment_id: string };
  'webhook.deliver': { event_id: string; endpoint_id: string };
  'payout.settle': { date: string };
}

export type JobType = keyof JobPayloads;

export interface EnqueueOptions<T extends JobType> {
  type: T;
  payload: JobPayloads[T];
  /** Not before this instant; default now. */
  runAt?: Date;
  /** At most one job per key ever (`jobs.unique_key`): a duplicate enqueue is a no-op. */
  uniqueKey?: string;
  /** Default: the type's budget in `job-types.ts` (10 for every current type). */
  maxAttempts?: number;
  /** W3C trace context (`traceparent`, `tracestate`) so the job's spans join the request's trace. */
  traceContext?: Record<string, string> | null;
}

/**
 * Adds a job inside the caller's transaction (the transactional-outbox pattern): the job exists
 * if and only if the change that needs it commits. Returns the job id, or null when a job with
 * the same `uniqueKey` already exists.
 */
export async function enqueue<T extends JobType>(
  tx: Executor,
  options: EnqueueOptions<T>,
): Promise<{ id: number } | null> {
  const rows = await tx
    .insert(jobs)
    .values({
      type: options.type,
      payload: options.payload as Record<string, unknown>,
      runAt: options.runAt ?? sql`now()`,
      uniqueKey: options.uniqueKey ?? null,
      maxAttempts: options.maxAttempts ?? defaultMaxAttempts(options.type),
      traceContext:
        options.traceContext && Object.keys(options.traceContext).length ? options.traceContext : null,
    })
    .onConflictDoNothing({ target: jobs.uniqueKey })
    .returning({ id: jobs.id });
  return rows[0] ?? null;
}

/**
 * Adds many jobs in ONE statement inside the caller's transaction (see `ENQUEUE_MANY_SQL`):
 * one round trip and one plan whatever the count, and one wake-up notification per job type.
 * Returns the ids of the jobs inserted; a job whose `uniqueKey` already exists (in the table or
 * earlier in the same batch) is skipped.
 */
export async function enqueueMany(
  tx: Executor,
  jobsToAdd: readonly EnqueueOptions<JobType>[],
): Promise<number[]> {
  if (jobsToAdd.length === 0) return [];
  const records = jobsToAdd.map((o) => ({
    type: o.type,
    payload: o.payload,
    run_at: o.runAt ? o.runAt.toISOString() : null,
    unique_key: o.uniqueKey ?? null,
    max_attempts: o.maxAttempts ?? defaultMaxAttempts(o.type),
    trace_context: o.traceContext && Object.keys(o.traceContext).length ? o.traceContext : null,
  }));
  const [before, after] = ENQUEUE_MANY_SQL.split('$1') as [string, string];
  const rows = await tx.execute<{ id: string | number }>(
    sql.join([sql.raw(before), sql`${JSON.stringify(records)}`, sql.raw(after)]),
  );
  return [...rows].map((r) => Number(r.id));
}
