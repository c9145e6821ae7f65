import { at, jobId, type QueueCaller, type QueueSql } from './job.js';
import { EXTEND_LEASE_SQL, RESCUE_SQL } from './statements.js';

/** Heartbeat for long jobs; returns the ids whose lease this worker still holds. */
export async function extendLeases(
  sql: QueueSql,
  ids: readonly number[],
  options: QueueCaller & { leaseMs: number },
): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await sql.unsafe<{ id: string }[]>(
    EXTEND_LEASE_SQL,
    [at(options.now), ids, options.workerId, options.leaseMs],
    { prepare: true },
  );
  return rows.map((r) => jobId(r.id));
}

export interface RescuedJob {
  id: number;
  type: string;
  status: 'queued' | 'dead';
}

/** Returns expired leases to the queue (or the dead letter on their last attempt); see RESCUE_SQL. */
export async function rescueExpiredLeases(
  sql: QueueSql,
  options: { now?: Date | undefined } = {},
): Promise<RescuedJob[]> {
  const rows = await sql.unsafe<{ id: string; type: string; status: 'queued' | 'dead' }[]>(
    RESCUE_SQL,
    [at(options.now)],
    { prepare: true },
  );
  return rows.map((r) => ({ id: jobId(r.id), type: r.type, status: r.status }));
}
