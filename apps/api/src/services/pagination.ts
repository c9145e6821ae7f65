import { and, asc, desc, eq, gt, lt, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { badRequest } from '../errors.js';

export interface PageQuery {
  limit: number;
  starting_after?: string | undefined;
  ending_before?: string | undefined;
}

export interface Page<T> {
  object: 'list';
  url: string;
  has_more: boolean;
  data: T[];
}

/**
 * A drizzle select, run by `paginate` as a prepared statement: awaited as it is, drizzle's
 * postgres-js driver sends it unprepared, which postgres.js runs as Parse and Describe, a wait
 * for the parameter types, then Bind and Execute, and PostgreSQL parses and plans it again each
 * time (apps/db/src/prepared.ts). Prepared (any name: drizzle passes only `prepare: true`, and
 * postgres.js names and caches the statement by its text on each connection), a page after the
 * first on a connection costs one Bind/Execute round trip and no parse. It is still planned on
 * every run: the limit is a parameter, so PostgreSQL's generic plan never looks cheaper than a
 * custom one for the actual limit. A list's text varies only with which filters and cursor are
 * given, so a connection holds a few of them.
 */
export interface Preparable<T> {
  prepare(name: string): { execute(): Promise<T[]> };
}

/**
 * Cursor pagination over a time-ordered id column (docs.stripe.com/api/pagination): newest
 * first; `starting_after` pages towards older objects, `ending_before` towards newer ones;
 * `has_more` says whether more exist in the direction of travel. Fetches limit + 1 rows.
 *
 * A cursor must name an object of the list (within `cursorScope`, default `scope`): an unknown
 * one is a 400 naming the parameter, not an empty page a client would read as the end of the
 * list. Pass the tenant alone as `cursorScope` when a filter can stop matching an object between
 * two pages (a payment's `status`).
 */
export async function paginate<T extends { id: string }, R>(
  query: PageQuery,
  url: string,
  id: PgColumn,
  scope: SQL | undefined,
  select: (where: SQL | undefined, orderBy: SQL, limit: number) => Preparable<T>,
  present: (row: T) => R,
  cursorScope: SQL | undefined = scope,
): Promise<Page<R>> {
  const fetch = (where: SQL | undefined, orderBy: SQL, limit: number) =>
    select(where, orderBy, limit).prepare('page').execute();
  if (query.starting_after && query.ending_before) {
    throw badRequest(
      'parameter_invalid',
      'starting_after and ending_before are mutually exclusive: pass at most one.',
      'ending_before',
    );
  }
  const param = query.starting_after ? 'starting_after' : query.ending_before ? 'ending_before' : undefined;
  if (param) {
    const cursor = query[param]!;
    const [known] = await fetch(and(cursorScope, eq(id, cursor)), asc(id), 1);
    if (!known) {
      throw badRequest('resource_missing', `No such object to page from: '${cursor}'`, param);
    }
  }
  let rows: T[];
  if (query.ending_before) {
    rows = await fetch(and(scope, gt(id, query.ending_before)), asc(id), query.limit + 1);
    const has_more = rows.length > query.limit;
    return { object: 'list', url, has_more, data: rows.slice(0, query.limit).reverse().map(present) };
  }
  rows = await fetch(
    query.starting_after ? and(scope, lt(id, query.starting_after)) : scope,
    desc(id),
    query.limit + 1,
  );
  return {
    object: 'list',
    url,
    has_more: rows.length > query.limit,
    data: rows.slice(0, query.limit).map(present),
  };
}
