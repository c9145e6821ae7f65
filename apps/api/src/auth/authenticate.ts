import type { Database } from '@payday/db';
import { apiKeys, dashboardSessions, dashboardUsers } from '@payday/db/schema';
import { eq, sql } from 'drizzle-orm';
import type { Context, MiddlewareHandler, Next } from 'hono';

import { ApiError } from '../errors.js';
import { clientAddress } from '../http/client-address.js';
import type { RateLimiter } from '../http/rate-limit.js';
import { requestHeader } from '../http/request-header.js';
import type { AppEnv } from '../types.js';
import type { CredentialCache, Looked } from './credential-cache.js';
import { API_KEY_PREFIX_LENGTH, hashesEqual, redactCredential, sha256Hex } from './tokens.js';

const unauthorized = (code: string, message: string) =>
  new ApiError(401, 'invalid_request_error', code, message);

/** Don't write `last_used_at` more than once a minute per key per process: it is a hint. */
const TOUCH_INTERVAL_MS = 60_000;

/** Failed authentications allowed per client address (a token bucket). */
export interface AuthFailureLimit {
  limiter: RateLimiter;
  /** Take the client address from `X-Forwarded-For` (only behind a trusted proxy). */
  trustProxy: boolean;
}

/**
 * The refusals that spend the budget: credentials that never existed (or no credential). A
 * revoked or expired key and an expired session were real, and the dashboard's server shares
 * one address among all its users, so their refusals are not counted as guessing.
 */
const GUESSES = new Set(['api_key_missing', 'authorization_malformed', 'api_key_invalid', 'session_invalid']);

const tooMany = (message: string) => new ApiError(429, 'rate_limit_error', 'rate_limit', message);

/**
 * `Authorization: Bearer <credential>` on every /v1 route: a secret API key (`sk_…`, looked up
 * by its prefix, then its SHA-256 compared in constant time) or a dashboard session token
 * (`dst_…`). Sets `merchantId`, the tenant every query of the request is scoped to.
 *
 * A client address whose failures used up its budget gets 429 before anything else, so guessing
 * keys costs no database lookup; each refused guess spends one token. Successful requests spend
 * nothing, and the per-credential limit applies after authentication.
 */
export function authenticate(
  database: Database,
  cache: CredentialCache,
  rateLimiter?: RateLimiter,
  failures?: AuthFailureLimit,
): MiddlewareHandler<AppEnv> {
  const { credentialOf, admit } = verifier(database, cache, rateLimiter);
  const spent = (address: string) => (error: unknown) => {
    if (error instanceof ApiError && GUESSES.has(error.code)) failures?.limiter.take(address);
    throw error;
  };
  const proceed = (c: Context<AppEnv>, found: Known, next: Next) => {
    const touch = admit(c, found);
    return touch ? touch.then(() => next()) : next();
  };
  // Not an async function: a cached credential (nearly every request) goes on to the route
  // without a promise and a microtask of its own (bench/README.md, "API: where the time goes").
  return (c, next) => {
    let address = '';
    if (failures) {
      address = clientAddress(c, failures.trustProxy);
      const wait = failures.limiter.peek(address);
      if (wait > 0) {
        c.header('Retry-After', String(wait));
        throw tooMany('Too many failed authentication attempts from this address. Retry later.');
      }
    }
    let found: Known | Promise<Known>;
    try {
      found = credentialOf(c);
    } catch (error) {
      return spent(address)(error);
    }
    if (found instanceof Promise) return found.then((f) => proceed(c, f, next), spent(address));
    return proceed(c, found, next);
  };
}

/** What authentication needs of a credential: the tenant and who it is. */
type Known = Pick<Found, 'merchantId' | 'credential'>;

function verifier(database: Database, cache: CredentialCache, rateLimiter?: RateLimiter) {
  const touched = new Map<string, number>();
  // Built at the first lookup: an app built only to list its routes never touches its pool.
  let lookups: Lookups | undefined;
  const lookUp = (token: string, cacheKey: string): Promise<Found> => {
    const hash = Buffer.from(cacheKey, 'hex');
    lookups ??= credentialLookups(database);
    return token.startsWith('dst_') ? session(lookups, hash) : apiKey(lookups, token, hash);
  };
  return {
    /** The request's credential: from the cache as it is, else a promise of its lookup. */
    credentialOf(c: Context<AppEnv>): Known | Promise<Known> {
      const header = requestHeader(c, 'authorization');
      if (!header) {
        throw unauthorized(
          'api_key_missing',
          'You did not provide an API key. Send it in the Authorization header: `Authorization: Bearer sk_test_…`.',
        );
      }
      // The scheme name is case-insensitive and separated by one or more spaces (RFC 9110 §11.1,
      // RFC 9110 §11.4), so `bearer sk_…` and `BEARER  sk_…` are the same credential.
      const match = /^bearer +([A-Za-z0-9_]{1,200})$/i.exec(header);
      if (!match) {
        throw unauthorized('authorization_malformed', 'The Authorization header must be `Bearer <API key>`.');
      }
      const token = match[1]!;
      const cacheKey = sha256Hex(token);
      return cache.get(cacheKey) ?? cache.lookUp(cacheKey, () => lookUp(token, cacheKey));
    },
    /**
     * The per-credential rate limit, then the request's tenant; a promise only when the key's
     * `last_used_at` is due for its once-a-minute write.
     */
    admit(c: Context<AppEnv>, found: Known): Promise<unknown> | undefined {
      if (rateLimiter) {
        const wait = rateLimiter.take(found.credential.id);
        if (wait > 0) {
          c.header('Retry-After', String(wait));
          throw tooMany('Too many requests. Retry with exponential backoff.');
        }
      }
      c.set('merchantId', found.merchantId);
      c.set('credential', found.credential);
      c.get('logger')?.setBindings({ merchant_id: found.merchantId });
      if (found.credential.kind !== 'api_key') return undefined;
      const last = touched.get(found.credential.id) ?? 0;
      if (Date.now() - last <= TOUCH_INTERVAL_MS) return undefined;
      touched.set(found.credential.id, Date.now());
      return database.db
        .update(apiKeys)
        .set({ lastUsedAt: sql`now()` })
        .where(eq(apiKeys.id, found.credential.id))
        .execute();
    },
  };
}

type Found = Looked;

/**
 * The two lookups, as named prepared statements built once per pool: a cache miss then costs one
 * round trip, not a Parse/Describe and a Bind/Execute (see @payday/db prepared.ts).
 */
function credentialLookups(database: Database) {
  return {
    apiKey: database.db
      .select({
        id: apiKeys.id,
        merchantId: apiKeys.merchantId,
        keyHash: apiKeys.keyHash,
        revokedAt: apiKeys.revokedAt,
        expiresAt: apiKeys.expiresAt,
        expired: sql<boolean>`${apiKeys.expiresAt} is not null and ${apiKeys.expiresAt} <= now()`,
      })
      .from(apiKeys)
      .where(eq(apiKeys.prefix, sql.placeholder('prefix')))
      .prepare('payday_api_key_by_prefix'),
    session: database.db
      .select({
        id: dashboardSessions.id,
        userId: dashboardSessions.userId,
        merchantId: dashboardUsers.merchantId,
        expiresAt: dashboardSessions.expiresAt,
        expired: sql<boolean>`${dashboardSessions.expiresAt} <= now()`,
      })
      .from(dashboardSessions)
      .innerJoin(dashboardUsers, eq(dashboardUsers.id, dashboardSessions.userId))
      .where(eq(dashboardSessions.tokenHash, sql.placeholder('hash')))
      .prepare('payday_session_by_token_hash'),
  };
}
type Lookups = ReturnType<typeof credentialLookups>;

/** The key's row by prefix; then its hash compared in constant time with the presented key's. */
async function apiKey(lookups: Lookups, token: string, presented: Buffer): Promise<Found> {
  const invalid = unauthorized('api_key_invalid', `Invalid API key provided: ${redactCredential(token)}`);
  if (!token.startsWith('sk_') || token.length < API_KEY_PREFIX_LENGTH) throw invalid;
  const [row] = await lookups.apiKey.execute({ prefix: token.slice(0, API_KEY_PREFIX_LENGTH) });
  if (!row || !hashesEqual(presented, row.keyHash)) throw invalid;
  if (row.revokedAt)
    throw unauthorized('api_key_revoked', `This API key was revoked: ${redactCredential(token)}`);
  if (row.expired)
    throw unauthorized('api_key_expired', `This API key has expired: ${redactCredential(token)}`);
  return {
    merchantId: row.merchantId,
    credential: { kind: 'api_key', id: row.id },
    expiresAt: row.expiresAt,
  };
}

async function session(lookups: Lookups, hash: Buffer): Promise<Found> {
  const [row] = await lookups.session.execute({ hash });
  if (!row) throw unauthorized('session_invalid', 'Invalid or signed-out dashboard session.');
  if (row.expired) throw unauthorized('session_expired', 'The dashboard session has expired; sign in again.');
  return {
    merchantId: row.merchantId,
    credential: { kind: 'dashboard_session', id: row.id, userId: row.userId },
    expiresAt: row.expiresAt,
  };
}
