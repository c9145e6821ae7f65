import type postgres from 'postgres';

/** Anything raw queue statements run on: the postgres.js pool or one of its transactions. */
export type QueueSql = postgres.Sql | postgres.TransactionSql;

/** A job as the worker holds it after a claim. */
export interface ClaimedJob {
  id: number;
  type: string;
  /** Unvalidated: each handler parses it with its own schema. */
  payload: unknown;
  /** The attempt now running, 1-based (raised at claim time). */
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  traceContext: Record<string, string> | null;
  createdAt: Date;
}

/** Who is asking and, for tests, what time it is (`undefined`: the database's now()). */
export interface QueueCaller {
  workerId: string;
  now?: Date | undefined;
}

/** postgres.js returns int8 as a string; job ids stay far below 2^53. */
export function jobId(value: string | number | bigint): number {
  return Number(value);
}

/**
 * A time parameter as text. drizzle turns off postgres.js's Date (de)serialisers on the shared
 * client (timestamps come back as strings too), so times cross the wire as ISO 8601 text.
 */
export const at = (now: Date | undefined): string | null => now?.toISOString() ?? null;

/** A timestamptz column as returned by the shared client (string) or a plain postgres.js one (Date). */
export const toDate = (value: string | Date): Date => (value instanceof Date ? value : new Date(value));
