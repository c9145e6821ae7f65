import { sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { jobs } from '../schema/jobs.js';
import { defaultMaxAttempts } from './job-types.js';

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
