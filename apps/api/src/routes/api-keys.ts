import { createRoute } from '@hono/zod-openapi';
import type { Database } from '@payday/db';
import type { CredentialCache } from '../auth/credential-cache.js';
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
import { createApiKey, listApiKeys, revokeApiKey, rollApiKey } from '../services/api-keys.js';

const security = [{ bearerAuth: [] }];

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

/**
 * A roll or revocation evicts the key from this process's credential cache only after its
 * transaction has committed (`idempotent` returns then): evicted before, a request arriving in
 * between would read the key as still active, and the cache would keep it for its whole ttl.
 * Evicting on every answer (a replay, a refusal) costs one cache miss and is always safe.
 */
export function apiKeyRoutes(database: Database, credentials: CredentialCache) {
  return newRouter()
    .openapi(routes.create, async (c) => {
      const body = c.req.valid('json');
      const merchantId = c.get('merchantId');
      return routeResponse(
        await idempotent(
          c,
          database,
          { key: c.req.valid('header')['idempotency-key'], body },
          async (tx) => ({
            status: 200,
            body: await createApiKey(tx, merchantId, body.name ?? 'default'),
          }),
        ),
      );
    })
    .openapi(routes.list, async (c) =>
      c.json(await listApiKeys(database.db, c.get('merchantId'), c.req.valid('query')), 200),
    )
    .openapi(routes.roll, async (c) => {
      const body = c.req.valid('json');
      const id = c.req.valid('param').id!;
      const merchantId = c.get('merchantId');
      const response = await idempotent(
        c,
        database,
        { key: c.req.valid('header')['idempotency-key'], body },
        async (tx) => ({
          status: 200,
          body: await rollApiKey(tx, merchantId, id, body.expires_in_seconds ?? 0),
        }),
      );
      credentials.evict(id);
      return routeResponse(response);
    })
    .openapi(routes.revoke, async (c) => {
      const id = c.req.valid('param').id!;
      const merchantId = c.get('merchantId');
      const response = await idempotent(
        c,
        database,
        { key: c.req.valid('header')['idempotency-key'], body: {} },
        async (tx) => ({ status: 200, body: await revokeApiKey(tx, merchantId, id) }),
      );
      credentials.evict(id);
      return routeResponse(response);
    });
}
