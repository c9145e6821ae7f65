import { createRoute } from '@hono/zod-openapi';
import type { Database, Executor } from '@payday/db';
import { apiKeys } from '@payday/db/schema';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { CredentialCache } from '../auth/credential-cache.js';
import { generateApiKey } from '../auth/tokens.js';
import { badRequest, notFound } from '../errors.js';
import { paginate } from '../http/pagination.js';
import { routeResponse } from '../http/respond.js';
import { newRouter } from '../http/validation.js';
import { idempotent } from '../idempotency/idempotent.js';
import {
  errorResponses,
  idempotencyHeaders,
  idParam,
  jsonBody,
  jsonContent,
  listSchema,
  paginationQuery,
} from '../schemas/common.js';
import { ApiKeySchema, CreateApiKeySchema, RollApiKeySchema } from '../schemas/objects.js';

const security = [{ bearerAuth: [] }];
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

const keyParam = idParam('id', 'key');
const routes = {
  create: createRoute({
    method: 'post',
    path: '/v1/api_keys',
    operationId: 'createApiKey',
    summary: 'Create a secret API key; the response carries the key, once',
    security,
    request: { headers: idempotencyHeaders, body: jsonBody(CreateApiKeySchema) },
    responses: { 200: jsonContent(ApiKeySchema, 'The key, with `secret`'), ...errorResponses },
  }),
  list: createRoute({
    method: 'get',
    path: '/v1/api_keys',
    operationId: 'listApiKeys',
    summary: 'List API keys (prefixes only), newest first',
    security,
    request: { query: paginationQuery('key') },
    responses: {
      200: jsonContent(listSchema(ApiKeySchema, 'ApiKeyList'), 'A page of keys'),
      ...errorResponses,
    },
  }),
  roll: createRoute({
    method: 'post',
    path: '/v1/api_keys/{id}/roll',
    operationId: 'rollApiKey',
    summary: 'Replace a key with a new one; the old key keeps working for expires_in_seconds',
    security,
    request: { params: keyParam, headers: idempotencyHeaders, body: jsonBody(RollApiKeySchema) },
    responses: { 200: jsonContent(ApiKeySchema, 'The new key, with `secret`'), ...errorResponses },
  }),
  revoke: createRoute({
    method: 'post',
    path: '/v1/api_keys/{id}/revoke',
    operationId: 'revokeApiKey',
    summary: 'Revoke a key immediately',
    security,
    request: { params: keyParam, headers: idempotencyHeaders },
    responses: { 200: jsonContent(ApiKeySchema, 'The revoked key'), ...errorResponses },
  }),
};

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

export function apiKeyRoutes(database: Database, credentials: CredentialCache) {
  return newRouter()
    .openapi(routes.create, async (c) => {
      const body = c.req.valid('json');
      const merchantId = c.get('merchantId');
      return routeResponse(
        await idempotent(c, database, { key: c.req.valid('header')['idempotency-key'], body }, async (tx) => {
          const { row, secret } = await insertApiKey(tx, merchantId, body.name ?? 'default');
          return { status: 200, body: apiKeyObject(row, secret) };
        }),
      );
    })
    .openapi(routes.list, async (c) => {
      const page = await paginate(
        c.req.valid('query'),
        '/v1/api_keys',
        apiKeys.id,
        eq(apiKeys.merchantId, c.get('merchantId')),
        (where, orderBy, limit) =>
          database.db.select().from(apiKeys).where(where).orderBy(orderBy).limit(limit),
        (row) => apiKeyObject(row),
      );
      return c.json(page, 200);
    })
    .openapi(routes.roll, async (c) => {
      const body = c.req.valid('json');
      const id = c.req.valid('param').id!;
      const merchantId = c.get('merchantId');
      return routeResponse(
        await idempotent(c, database, { key: c.req.valid('header')['idempotency-key'], body }, async (tx) => {
          const old = await activeKey(tx, merchantId, id);
          const grace = body.expires_in_seconds ?? 0;
          await tx
            .update(apiKeys)
            .set(
              grace > 0
                ? {
                    expiresAt: sql`least(coalesce(${apiKeys.expiresAt}, 'infinity'), now() + make_interval(secs => ${grace}))`,
                  }
                : { revokedAt: sql`now()` },
            )
            .where(eq(apiKeys.id, old.id));
          const { row, secret } = await insertApiKey(tx, merchantId, old.name);
          credentials.evict(old.id);
          return { status: 200, body: apiKeyObject(row, secret) };
        }),
      );
    })
    .openapi(routes.revoke, async (c) => {
      const id = c.req.valid('param').id!;
      const merchantId = c.get('merchantId');
      return routeResponse(
        await idempotent(
          c,
          database,
          { key: c.req.valid('header')['idempotency-key'], body: {} },
          async (tx) => {
            await activeKey(tx, merchantId, id);
            const [row] = await tx
              .update(apiKeys)
              .set({ revokedAt: sql`now()` })
              .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
              .returning();
            credentials.evict(id);
            return { status: 200, body: apiKeyObject(row!) };
          },
        ),
      );
    });
}
