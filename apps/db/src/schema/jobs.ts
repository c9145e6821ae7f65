import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const JOB_STATUSES = ['queued', 'running', 'completed', 'dead'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * The PostgreSQL job queue (team brief, "The jobs table"). The API enqueues inside its own
 * transactions (`queue/enqueue.ts`); the worker claims with `FOR UPDATE SKIP LOCKED` and a
 * lease (`locked_until`), retries with backoff and dead-letters after `max_attempts`.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    type: text('type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: JOB_STATUSES }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(10),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lockedBy: text('locked_by'),
    uniqueKey: text('unique_key').unique('jobs_unique_key_key'),
    lastError: text('last_error'),
    traceContext: jsonb('trace_context').$type<Record<string, string>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    check('jobs_status_check', sql`${t.status} in ('queued', 'running', 'completed', 'dead')`),
    // Only a running job has a holder (migration 0005): the statements that take a worker's
    // jobs by id match `locked_by` alone and so need no `status` condition (statements.ts).
    check('jobs_locked_only_while_running', sql`${t.lockedBy} is null or ${t.status} = 'running'`),
    // The worker claims per type (one lane of slots per job type), oldest run-at first: an
    // equality on `type` plus an ordered range on `run_at` is one index range scan.
    index('jobs_queued_type_run_at_idx').on(t.type, t.runAt).where(sql`${t.status} = 'queued'`),
    // Running jobs per type (rescue, queue depth), in an index of their own rather than one over
    // queued and running rows: the claim's `status = 'queued'` does not imply this predicate, so
    // the ordered index above is the only index that can serve a claim, whatever the statistics
    // say (migration 0006).
    index('jobs_running_type_idx').on(t.type).where(sql`${t.status} = 'running'`),
  ],
);
