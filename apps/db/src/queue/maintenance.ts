import { at, jobId, type QueueSql } from './job.js';
import { DEPTH_BY_TYPE_SQL, PRUNE_SQL, REQUEUE_DEAD_SQL } from './statements.js';

export interface PruneOptions {
  /** Delete completed jobs finished before this. */
  completedBefore: Date;
  /** Delete dead jobs finished before this (kept longer: they are evidence and can be resent). */
  deadBefore: Date;
  /** Rows per DELETE; default 5000. */
  batchSize?: number;
  /** Stop after this many batches (bounded work per call); default 100. */
  maxBatches?: number;
}

/** Deletes finished jobs in bounded batches; returns how many rows went. */
export async function pruneJobs(sql: QueueSql, options: PruneOptions): Promise<number> {
  const batch = options.batchSize ?? 5000;
  let total = 0;
  for (let i = 0; i < (options.maxBatches ?? 100); i++) {
    const result = await sql.unsafe(
      PRUNE_SQL,
      [options.completedBefore.toISOString(), batch, options.deadBefore.toISOString()],
      {
        prepare: true,
      },
    );
    total += result.count;
    if (result.count < batch) break;
  }
  return total;
}

export interface QueueDepth {
  type: string;
  /** Queued (due or not) plus running. */
  depth: number;
  /** Age of the oldest due queued job, 0 when none is waiting. */
  oldestAgeSeconds: number;
}

export async function queueDepthByType(
  sql: QueueSql,
  options: { now?: Date | undefined } = {},
): Promise<QueueDepth[]> {
  const rows = await sql.unsafe<{ type: string; depth: number; oldest_age_seconds: number }[]>(
    DEPTH_BY_TYPE_SQL,
    [at(options.now)],
    { prepare: true },
  );
  return rows.map((r) => ({ type: r.type, depth: r.depth, oldestAgeSeconds: r.oldest_age_seconds }));
}

/**
 * Resend: puts a dead job back in the queue with its attempts reset. Returns false when the job
 * does not exist or is not dead (a queued or running job needs no resend).
 */
export async function requeueDeadJob(
  sql: QueueSql,
  id: number,
  options: { now?: Date | undefined } = {},
): Promise<boolean> {
  const rows = await sql.unsafe<{ id: string }[]>(REQUEUE_DEAD_SQL, [at(options.now), id], { prepare: true });
  return rows.length === 1 && jobId(rows[0]!.id) === id;
}
