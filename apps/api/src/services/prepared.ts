import type { Executor } from '@payday/db';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';

const dialect = new PgDialect();

/**
 * Runs a drizzle `sql` statement as a named prepared statement on the executor's postgres.js
 * connection (the pool, or the transaction's reserved connection).
 *
 * Why: drizzle's postgres-js driver sends every query that was not `.prepare()`d with
 * `prepare: false`, and postgres.js then needs the parameter types first: Parse + Describe,
 * wait, then Bind + Execute: two round trips and a fresh parse and plan each time. Prepared, a
 * statement is parsed once per connection and then costs one Bind/Execute round trip (the
 * PostgreSQL protocol's extended query flow, PostgreSQL 17 documentation §55.2.3). Raw `sql` has no
 * `.prepare()` in drizzle, hence this. The SQL text must not vary per call (values go in as
 * parameters), or every call would add a statement to the connection's cache.
 */
export function executePrepared(tx: Executor, statement: SQL): Promise<postgres.RowList<postgres.Row[]>> {
  const query = dialect.sqlToQuery(statement);
  return clientOf(tx).unsafe(query.sql, query.params as postgres.ParameterOrJSON<never>[], {
    prepare: true,
  });
}

/** The postgres.js client behind a drizzle executor (drizzle keeps its session in `_`). */
function clientOf(tx: Executor): postgres.Sql {
  const client = (tx._.session as unknown as { client?: postgres.Sql }).client;
  if (!client) throw new Error('executePrepared needs a drizzle postgres-js executor');
  return client;
}
