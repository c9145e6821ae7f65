import type { PgDatabase } from 'drizzle-orm/pg-core';
import { drizzle, type PostgresJsQueryResultHKT } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.js';

export type Schema = typeof schema;

/**
 * Anything queries can run on: the database handle or a transaction opened from it. Domain
 * functions take an `Executor` so callers decide the transaction boundary (the API creates a
 * payment, its event, its job and its idempotency record in one transaction).
 */
export type Executor = PgDatabase<PostgresJsQueryResultHKT, Schema>;

export interface Database {
  /** The drizzle handle. */
  readonly db: Executor & { $client: postgres.Sql };
  /** The underlying postgres.js pool, for raw SQL and `LISTEN`. */
  readonly sql: postgres.Sql;
  /** Drains the pool: waits up to `timeoutSeconds` for running queries, then closes. */
  close(timeoutSeconds?: number): Promise<void>;
}

export interface DatabaseOptions {
  /** Pool size (postgres.js `max`); default 10. */
  max?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
}

/** Opens a postgres.js pool with the drizzle schema attached. */
export function createDatabase(url: string, options: DatabaseOptions = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? 'payday' },
  });
  const db = drizzle({ client: sql, schema });
  return {
    db,
    sql,
    close: (timeoutSeconds = 5) => sql.end({ timeout: timeoutSeconds }),
  };
}
