import { sql as drizzleSql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { at, jobId, type QueueCaller, type QueueSql, toDate } from './job.js';
import { COMPLETE_SQL, DEAD_SQL, RELEASE_SQL, RETRY_SQL } from './statements.js';

/** Marks jobs completed in one statement (the batched path); returns the ids it completed. */
export async function completeJobs(
  sql: QueueSql,
  ids: readonly number[],
  caller: QueueCaller,
): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await sql.unsafe<{ id: string }[]>(COMPLETE_SQL, [at(caller.now), ids, caller.workerId], {
    prepare: true,
  });
  return rows.map((r) => jobId(r.id));
}

/** The job was re-claimed by someone else: our lease expired, so our work must not commit. */
export class LeaseLostError extends Error {
  constructor(id: number, workerId: string) {
    super(`job ${id} is no longer held by ${workerId} (lease expired and the job was re-claimed)`);
    this.name = 'LeaseLostError';
  }
}

/**
 * Completes one job inside the handler's own drizzle transaction, so the job's side effects and
 * its completion commit together (exactly-once effects on top of at-least-once delivery).
 * Throws {@link LeaseLostError} when the lease was lost, which rolls the side effects back.
 */
export async function completeJobInTransaction(tx: Executor, id: number, caller: QueueCaller): Promise<void> {
  const rows = await tx.execute<{ id: string }>(drizzleSql`
    update jobs
       set status = 'completed', completed_at = coalesce(${at(caller.now)}::timestamptz, now()),
           locked_by = null, locked_until = null, last_error = null
     where id = ${id} and status = 'running' and locked_by = ${caller.workerId}
    returning id`);
  if (rows.length !== 1) throw new LeaseLostError(id, caller.workerId);
}

/** Schedules another attempt after `delayMs`; false when the lease was lost meanwhile. */
export async function retryJob(
  sql: QueueSql,
  id: number,
  options: QueueCaller & { delayMs: number; error: string },
): Promise<{ runAt: Date } | undefined> {
  const [row] = await sql.unsafe<{ id: string; run_at: string | Date }[]>(
    RETRY_SQL,
    [at(options.now), id, options.workerId, Math.max(0, Math.round(options.delayMs)), options.error],
    { prepare: true },
  );
  return row ? { runAt: toDate(row.run_at) } : undefined;
}

/** Moves a job to the dead letter with its reason; false when the lease was lost meanwhile. */
export async function deadLetterJob(
  sql: QueueSql,
  id: number,
  options: QueueCaller & { reason: string },
): Promise<boolean> {
  const rows = await sql.unsafe(DEAD_SQL, [at(options.now), id, options.workerId, options.reason], {
    prepare: true,
  });
  return rows.length === 1;
}

/** Gives claimed jobs back without using an attempt (drain on SIGTERM); returns the ids released. */
export async function releaseJobs(
  sql: QueueSql,
  ids: readonly number[],
  caller: QueueCaller,
): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await sql.unsafe<{ id: string }[]>(RELEASE_SQL, [ids, caller.workerId], {
    prepare: true,
  });
  return rows.map((r) => jobId(r.id));
}
