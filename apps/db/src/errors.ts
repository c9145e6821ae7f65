import postgres from 'postgres';

/**
 * The PostgreSQL error behind a failed query, whether postgres.js threw it directly or drizzle
 * wrapped it (`DrizzleQueryError`, with the original as `cause`). Callers branch on
 * `code` (SQLSTATE) and `constraint_name`, never on message text.
 */
export function pgErrorOf(error: unknown): postgres.PostgresError | undefined {
  let e: unknown = error;
  for (let i = 0; i < 3 && e; i++) {
    if (e instanceof postgres.PostgresError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** SQLSTATEs the app reacts to (PostgreSQL manual, appendix A). */
export const SQLSTATE = {
  uniqueViolation: '23505',
  checkViolation: '23514',
  foreignKeyViolation: '23503',
  serializationFailure: '40001',
} as const;
