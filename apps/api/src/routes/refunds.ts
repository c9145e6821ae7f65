import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '@payday/db';
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
import { CreateRefundSchema, RefundSchema } from '../schemas/objects.js';
import { createRefund, getRefund, listRefunds } from '../services/refunds.js';
import { currentTraceContext } from '../telemetry/tracing.js';

const security = [{ bearerAuth: [] }];

const create = createRoute({
  method: 'post',
  path: '/v1/refunds',
  operationId: 'createRefund',
  summary: 'Refund part or all of a succeeded payment',
  security,
  request: { headers: idempotencyHeaders, body: jsonBody(CreateRefundSchema) },
  responses: { 200: jsonContent(RefundSchema, 'The refund'), ...errorResponses },
});

const retrieve = createRoute({
  method: 'get',
  path: '/v1/refunds/{id}',
  operationId: 'getRefund',
  summary: 'Retrieve a refund',
  security,
  request: { params: idParam('id', 're') },
  responses: { 200: jsonContent(RefundSchema, 'The refund'), ...errorResponses },
});

const list = createRoute({
  method: 'get',
  path: '/v1/refunds',
  operationId: 'listRefunds',
  summary: 'List refunds, newest first',
  security,
  request: {
    query: paginationQuery('re').extend({
      payment: z
        .string()
        .regex(/^pay_[0-9a-z]{1,64}$/, 'must be an id starting with pay_')
        .optional()
        .openapi({ description: 'Only refunds of this payment' }),
    }),
  },
  responses: {
    200: jsonContent(listSchema(RefundSchema, 'RefundList'), 'A page of refunds'),
    ...errorResponses,
  },
});

export function refundRoutes(database: Database) {
  return newRouter()
    .openapi(create, async (c) => {
      const body = c.req.valid('json');
      const merchantId = c.get('merchantId');
      return routeResponse(
        await idempotent(
          c,
          database,
          { key: c.req.valid('header')['idempotency-key'], body },
          async (tx) => ({
            status: 200,
            body: await createRefund(tx, merchantId, body, currentTraceContext()),
          }),
        ),
      );
    })
    .openapi(retrieve, async (c) =>
      c.json(await getRefund(database.db, c.get('merchantId'), c.req.valid('param').id!), 200),
    )
    .openapi(list, async (c) =>
      c.json(await listRefunds(database.db, c.get('merchantId'), c.req.valid('query')), 200),
    );
}
