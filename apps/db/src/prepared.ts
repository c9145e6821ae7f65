import { fillPlaceholders, is, Placeholder, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import type { Executor } from './client.js';

/**
 * Named prepared statements from drizzle `sql`. This reads drizzle internals (the executor's
 * session keeps its postgres.js client in `_`), so it lives here, in the package that pins
 * drizzle-orm and postgres.js, and is checked by `prepared.test.ts` whenever either moves.
 *
 * Why: drizzle's postgres-js driver sends every query that was not `.prepare()`d with
 * `prepare: false`, and postgres.js then needs the parameter types first: Parse + Describe,
 * wait, then Bind + Execute: two round trips and a fresh parse and plan each time. Prepared, a
 * statement is parsed once per connection and then costs one Bind/Execute round trip (the
 * PostgreSQL protocol's extended query flow, PostgreSQL 17 documentation §55.2.3). Raw `sql` has
 * no `.prepare()` in drizzle, hence this.
 *
 * The price of named statements: one that a migration changes under a connection (a selected
 * column's type altered) fails once with "cached plan must not change result type"; postgres.js
 * drops it and retries outside a transaction, but inside one the transaction has already failed
 * (postgres 3.4.9 src/connection.js, `retry`). And a pooler in transaction mode (PgBouncer)
 * needs `max_prepared_statements` (PgBouncer 1.21+) for them; none is deployed today.
 */

type Rows = postgres.RowList<postgres.Row[]>;

const dialect = new PgDialect();

/**
 * Runs a drizzle `sql` statement as a named prepared statement on the executor's postgres.js
 * connection (the pool, or the transaction's reserved connection). The SQL text must not vary
 * per call (values go in as parameters), or every call would add a statement to the
 * connection's cache.
 */
export function executePrepared(tx: Executor, statement: SQL): Promise<Rows> {
  const query = dialect.sqlToQuery(statement);
  return run(tx, query.sql, query.params);
}

/** One parameter of a compiled statement: filled per call from a placeholder, or fixed. */
export type StatementParameter = { placeholder: string } | { value: unknown };

export interface PreparedStatement<Values extends Record<string, unknown>> {
  /** The SQL text with `$1`, `$2`, … (the same on every call). */
  readonly text: string;
  /** `$1`, `$2`, … in order. */
  readonly parameters: readonly StatementParameter[];
  /** Runs it prepared (see `executePrepared`) with the placeholders filled from `values`. */
  execute(tx: Executor, values: Values): Promise<Rows>;
}

/**
 * Compiles a drizzle `sql` statement whose varying values are `sql.placeholder(name)`s ONCE:
 * each call only fills the parameters, where `executePrepared` walks the fragments again.
 * The text and parameter list are public so a benchmark can run the very same statement.
 */
export function prepareStatement<Values extends Record<string, unknown>>(
  statement: SQL,
): PreparedStatement<Values> {
  const query = dialect.sqlToQuery(statement);
  const parameters = query.params.map(
    (p): StatementParameter => (is(p, Placeholder) ? { placeholder: p.name } : { value: p }),
  );
  return {
    text: query.sql,
    parameters,
    execute: (tx, values) => run(tx, query.sql, fillPlaceholders(query.params, values)),
  };
}

function run(tx: Executor, text: string, params: unknown[]): Promise<Rows> {
  return clientOf(tx).unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true });
}

/** The postgres.js client behind a drizzle executor (drizzle keeps its session in `_`). */
function clientOf(tx: Executor): postgres.Sql {
  const client = (tx._.session as unknown as { client?: postgres.Sql }).client;
  if (!client) throw new Error('executePrepared needs a drizzle postgres-js executor');
  return client;
}
