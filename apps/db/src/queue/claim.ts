import { at, type ClaimedJob, jobId, type QueueCaller, type QueueSql, toDate } from './job.js';
import { CLAIM_OTHER_SQL, CLAIM_SQL } from './statements.js';

interface ClaimRow {
  id: string;
  type: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  run_at: string | Date;
  trace_context: Record<string, string> | null;
  created_at: string | Date;
}

export type ClaimOptions = QueueCaller & { limit: number; leaseMs: number };

/**
 * The claimed rows as jobs, oldest run-at first, then by id: the claim's UPDATE returns its rows
 * in the order it read them by primary key (`CLAIM_SQL`), not in run-at order. `runAt` keeps
 * milliseconds of PostgreSQL's microseconds, so jobs less than 1 ms apart go by id.
 */
function oldestFirst(rows: readonly ClaimRow[]): ClaimedJob[] {
  return rows.map(toJob).sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
}

function toJob(r: ClaimRow): ClaimedJob {
  return {
    id: jobId(r.id),
    type: r.type,
    payload: r.payload,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    runAt: toDate(r.run_at),
    traceContext: r.trace_context,
    createdAt: toDate(r.created_at),
  };
}

/**
 * Claims up to `limit` due jobs of `type` for this worker with a lease of `leaseMs` (see
 * `CLAIM_SQL`). Oldest run-at first; jobs locked by a concurrent claim are skipped, not waited for.
 * Call it outside any transaction of yours: the claim commits without waiting for its WAL flush,
 * and inside your transaction that would apply to all of it.
 */
export async function claimJobs(
  sql: QueueSql,
  options: ClaimOptions & { type: string },
): Promise<ClaimedJob[]> {
  const rows = await sql.unsafe<ClaimRow[]>(
    CLAIM_SQL,
    [at(options.now), options.limit, options.workerId, options.leaseMs, options.type],
    { prepare: true },
  );
  return oldestFirst(rows);
}

/** Claims due jobs of any type not in `knownTypes` (see `CLAIM_OTHER_SQL`). */
export async function claimOtherJobs(
  sql: QueueSql,
  options: ClaimOptions & { knownTypes: readonly string[] },
): Promise<ClaimedJob[]> {
  const rows = await sql.unsafe<ClaimRow[]>(
    CLAIM_OTHER_SQL,
    [at(options.now), options.limit, options.workerId, options.leaseMs, [...options.knownTypes]],
    { prepare: true },
  );
  return oldestFirst(rows);
}
