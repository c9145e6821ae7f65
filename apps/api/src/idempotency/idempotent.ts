import { type Database, type Executor, executePrepared, pgErrorOf } from '@payday/db';
import { idempotencyKeys } from '@payday/db/schema';
import { and, eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiError } from '../errors.js';
import { withSpan } from '../telemetry/tracing.js';
import type { AppEnv } from '../types.js';
import { fingerprint } from './fingerprint.js';

/**
 * A claim older than this is abandoned (its process died mid-request: the work and the stored
 * response commit together, so an unfinished claim means nothing committed) and may be taken
 * over by a retry. Longer than any request can run.
 */
export const STALE_CLAIM_SECONDS = 60;

/** The response: a body to serialize, or (`json`) the exact bytes to send. */
export type WorkResult =
  | { status: ContentfulStatusCode; body: unknown }
  | { status: ContentfulStatusCode; json: string };

export interface IdempotentOptions {
  /**
   * The work writes with ONE statement, atomic by itself (PostgreSQL runs each statement in its
   * own transaction): without a key it runs on the pool directly, saving the BEGIN and COMMIT
   * round trips.
   */
  singleStatement?: boolean;
  /**
   * Given a key, the work's one statement also stores its response on the claimed key (setting
   * it `completed` with the status and the bytes it returns as `json`), so a keyed request runs
   * on the pool too: the claim and that statement, two round trips, instead of the claim, BEGIN,
   * the work, the UPDATE that stores the response and COMMIT.
   */
  storesResponse?: boolean;
}

/** Work that runs in one transaction; `key` is the Idempotency-Key, if any. */
export type Work = (tx: Executor, key: string | undefined) => Promise<WorkResult>;

const serialize = (result: WorkResult) => ('json' in result ? result.json : JSON.stringify(result.body));

/**
 * Runs a POST's work with Idempotency-Key semantics (draft-ietf-httpapi-idempotency-key-header-07,
 * Stripe's idempotent requests, brandur.org's atomic phases):
 *  - no key: the work runs once in a transaction;
 *  - new key: claimed `in_flight`, then the work and the stored response commit in ONE
 *    transaction (or one statement, `storesResponse`), so a committed payment always has its
 *    response and a crash leaves no half state;
 *  - key in flight: 409, nothing saved (safe to retry);
 *  - key seen with another fingerprint: 422 `idempotency_error`;
 *  - key completed: the stored status and body, byte for byte, with `Idempotent-Replayed: true`.
 * Business errors after execution began (404, 400) are stored and replayed like successes, as
 * Stripe does; unexpected errors release the key so a retry re-drives the work.
 */
export async function idempotent(
  c: Context<AppEnv>,
  database: Database,
  input: { key: string | undefined; body: unknown },
  work: Work,
  options: IdempotentOptions = {},
): Promise<Response> {
  const merchantId = c.get('merchantId');
  if (input.key === undefined) {
    // A single statement is its own (implicit) transaction: the span is named the same.
    const result = await withSpan('db.transaction', { 'db.system.name': 'postgresql' }, () =>
      options.singleStatement
        ? work(database.db, undefined)
        : database.db.transaction((tx) => work(tx, undefined)),
    );
    return send(c, result.status, serialize(result), false);
  }
  const key = input.key;
  const print = fingerprint(c.req.method, c.req.path, input.body);
  const claim = await claimKey(database, { merchantId, key, method: c.req.method, path: c.req.path, print });
  if (claim.kind === 'replay') return send(c, claim.status, claim.body, true);
  if (claim.kind === 'mismatch') {
    throw new ApiError(
      422,
      'idempotency_error',
      'idempotency_key_reused',
      `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    );
  }
  if (claim.kind === 'in_flight') {
    throw new ApiError(
      409,
      'idempotency_error',
      'idempotency_key_in_use',
      `A request with Idempotency-Key '${key}' is still being processed. Retry after it completes.`,
    );
  }
  const where = and(eq(idempotencyKeys.merchantId, merchantId), eq(idempotencyKeys.key, key));
  const done = { merchantId, key };
  try {
    const stored = await withSpan('db.transaction', { 'db.system.name': 'postgresql' }, async () => {
      if (options.storesResponse) {
        const result = await work(database.db, key);
        return { status: result.status, body: serialize(result) };
      }
      return database.db.transaction(async (tx) => {
        const result = await work(tx, key);
        const body = serialize(result);
        await complete(tx, done, result.status, body);
        return { status: result.status, body };
      });
    });
    return send(c, stored.status, stored.body, false);
  } catch (error) {
    if (error instanceof ApiError && error.status !== 409 && error.status !== 429) {
      const body = JSON.stringify(error.toBody());
      await complete(database.db, done, error.status, body);
      return send(c, error.status, body, false);
    }
    await database.db.delete(idempotencyKeys).where(and(where, eq(idempotencyKeys.status, 'in_flight')));
    throw error;
  }
}

/** Stores the response; a prepared statement: it runs on every keyed POST (see @payday/db executePrepared). */
async function complete(
  tx: Executor,
  k: { merchantId: string; key: string },
  status: number,
  body: string,
): Promise<void> {
  await executePrepared(
    tx,
    sql`update idempotency_keys
           set status = 'completed', response_status = ${status}, response_body = ${body}, completed_at = now()
         where merchant_id = ${k.merchantId} and key = ${k.key}`,
  );
}

const staleClaim = sql`${idempotencyKeys.lockedAt} < now() - make_interval(secs => ${STALE_CLAIM_SECONDS})`;

/** A key's stored state, prepared once per pool: every replay and every concurrent retry reads it. */
function storedKey(database: Database) {
  return database.db
    .select({
      fingerprint: idempotencyKeys.fingerprint,
      status: idempotencyKeys.status,
      responseStatus: idempotencyKeys.responseStatus,
      responseBody: idempotencyKeys.responseBody,
      stale: sql<boolean>`${staleClaim}`,
    })
    .from(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.merchantId, sql.placeholder('merchantId')),
        eq(idempotencyKeys.key, sql.placeholder('key')),
      ),
    )
    .prepare('payday_idempotency_key');
}
const storedKeys = new WeakMap<Database, ReturnType<typeof storedKey>>();
function storedKeyQuery(database: Database) {
  let query = storedKeys.get(database);
  if (!query) {
    query = storedKey(database);
    storedKeys.set(database, query);
  }
  return query;
}

type Claim =
  | { kind: 'claimed' }
  | { kind: 'in_flight' }
  | { kind: 'mismatch' }
  | { kind: 'replay'; status: ContentfulStatusCode; body: string };

async function claimKey(
  database: Database,
  k: { merchantId: string; key: string; method: string; path: string; print: string },
): Promise<Claim> {
  for (let attempt = 0; attempt < 3; attempt++) {
    // Prepared: the claim runs on every keyed POST (see @payday/db executePrepared).
    const inserted = await executePrepared(
      database.db,
      sql`insert into idempotency_keys (merchant_id, key, method, path, fingerprint)
          values (${k.merchantId}, ${k.key}, ${k.method}, ${k.path}, ${k.print})
          on conflict do nothing
          returning key`,
    ).catch((error: unknown) => {
      // A key longer than 255 characters is rejected by header validation before we get here;
      // anything else is unexpected.
      throw pgErrorOf(error) ?? error;
    });
    if (inserted.length) return { kind: 'claimed' };
    const where = and(eq(idempotencyKeys.merchantId, k.merchantId), eq(idempotencyKeys.key, k.key));
    const [row] = await storedKeyQuery(database).execute({ merchantId: k.merchantId, key: k.key });
    if (!row) continue; // released or swept between our insert and select: try again
    if (row.fingerprint !== k.print) return { kind: 'mismatch' };
    if (row.status === 'completed') {
      return { kind: 'replay', status: row.responseStatus as ContentfulStatusCode, body: row.responseBody! };
    }
    if (!row.stale) return { kind: 'in_flight' };
    // Re-checked under the row lock: of several retries racing for a stale claim, one wins.
    const taken = await database.db
      .update(idempotencyKeys)
      .set({ lockedAt: sql`now()` })
      .where(and(where, eq(idempotencyKeys.status, 'in_flight'), staleClaim))
      .returning({ key: idempotencyKeys.key });
    return taken.length ? { kind: 'claimed' } : { kind: 'in_flight' };
  }
  return { kind: 'in_flight' };
}

function send(c: Context, status: ContentfulStatusCode, body: string, replayed: boolean): Response {
  if (replayed) c.header('Idempotent-Replayed', 'true');
  return c.body(body, status, { 'Content-Type': 'application/json' });
}

/**
 * Deletes keys older than `hours` (Stripe prunes after 24 h; a key reused later starts a new
 * request, except that a payment's own key stays unique forever, see README).
 */
export async function sweepIdempotencyKeys(database: Database, hours = 24): Promise<number> {
  const deleted = await database.db
    .delete(idempotencyKeys)
    .where(sql`${idempotencyKeys.createdAt} < now() - make_interval(hours => ${hours})`)
    .returning({ key: idempotencyKeys.key });
  return deleted.length;
}
