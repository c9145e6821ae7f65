import type { Executor } from '@payday/db';
import { apiKeys } from '@payday/db/schema';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { generateApiKey } from '../auth/tokens.js';
import { badRequest, notFound } from '../errors.js';
import { type PageQuery, paginate } from './pagination.js';

type KeyRow = typeof apiKeys.$inferSelect;

export function apiKeyObject(k: KeyRow, secret?: string) {
  return {
    id: k.id,
    object: 'api_key' as const,
    name: k.name,
    prefix: k.prefix,
    created_at: k.createdAt.toISOString(),
    expires_at: k.expiresAt?.toISOString() ?? null,
    revoked_at: k.revokedAt?.toISOString() ?? null,
    last_used_at: k.lastUsedAt?.toISOString() ?? null,
    ...(secret ? { secret } : {}),
  };
}

/** Creates a key for a merchant; returns the row and the secret (shown once). */
export async function insertApiKey(tx: Executor, merchantId: string, name: string) {
  const key = generateApiKey();
  const [row] = await tx
    .insert(apiKeys)
    .values({ merchantId, name, prefix: key.prefix, keyHash: key.hash })
    .returning();
  return { row: row!, secret: key.secret };
}

/** `POST /v1/api_keys`: the new key, with its secret (the only time it is shown). */
export async function createApiKey(tx: Executor, merchantId: string, name: string) {
  const { row, secret } = await insertApiKey(tx, merchantId, name);
  return apiKeyObject(row, secret);
}

export function listApiKeys(db: Executor, merchantId: string, query: PageQuery) {
  return paginate(
    query,
    '/v1/api_keys',
    apiKeys.id,
    eq(apiKeys.merchantId, merchantId),
    (where, orderBy, limit) => db.select().from(apiKeys).where(where).orderBy(orderBy).limit(limit),
    (row) => apiKeyObject(row),
  );
}

async function activeKey(tx: Executor, merchantId: string, id: string): Promise<KeyRow> {
  const [row] = await tx
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), eq(apiKeys.merchantId, merchantId)))
    .for('update');
  if (!row) throw notFound('api_key', id);
  if (row.revokedAt) throw badRequest('api_key_revoked', `API key ${id} is already revoked.`, 'id');
  return row;
}

/**
 * Replaces a key with a new one of the same name: the old key keeps working for
 * `graceSeconds` (never past an earlier expiry), or is revoked at once when it is 0.
 * The caller evicts the old key from the credential cache once this has committed
 * (routes/api-keys.ts).
 */
export async function rollApiKey(tx: Executor, merchantId: string, id: string, graceSeconds: number) {
  const old = await activeKey(tx, merchantId, id);
  await tx
    .update(apiKeys)
    .set(
      graceSeconds > 0
        ? {
            expiresAt: sql`least(coalesce(${apiKeys.expiresAt}, 'infinity'), now() + make_interval(secs => ${graceSeconds}))`,
          }
        : { revokedAt: sql`now()` },
    )
    .where(eq(apiKeys.id, old.id));
  const { row, secret } = await insertApiKey(tx, merchantId, old.name);
  return apiKeyObject(row, secret);
}

/** Revokes a key; the caller evicts it from the credential cache once this has committed. */
export async function revokeApiKey(tx: Executor, merchantId: string, id: string) {
  await activeKey(tx, merchantId, id);
  const [row] = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  return apiKeyObject(row!);
}
