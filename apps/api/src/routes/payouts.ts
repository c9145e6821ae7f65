/** Payouts (read-only; the worker's settlement writes them): services/payouts.ts. */
import { createRoute } from '@hono/zod-openapi';
import type { Database } from '@payday/db';
import { newRouter } from '../http/validation.js';
import { errorResponses, idParam, jsonContent, listSchema, paginationQuery } from '../schemas/common.js';
import { CurrencySchema, PayoutSchema } from '../schemas/objects.js';
import { getPayout, listPayouts } from '../services/payouts.js';

const security = [{ bearerAuth: [] }];

const list = createRoute({
  method: 'get',
  path: '/v1/payouts',
  operationId: 'listPayouts',
  summary: 'List payouts, newest first',
  security,
  request: {
    query: paginationQuery('po').extend({
      currency: CurrencySchema.optional().openapi({ description: 'Only payouts in this currency' }),
    }),
  },
  responses: {
    200: jsonContent(listSchema(PayoutSchema, 'PayoutList'), 'A page of payouts'),
    ...errorResponses,
  },
});

const retrieve = createRoute({
  method: 'get',
  path: '/v1/payouts/{id}',
  operationId: 'getPayout',
  summary: 'Retrieve a payout',
  security,
  request: { params: idParam('id', 'po') },
  responses: { 200: jsonContent(PayoutSchema, 'The payout'), ...errorResponses },
});

export function payoutRoutes(database: Database) {
  return newRouter()
    .openapi(list, async (c) =>
      c.json(await listPayouts(database.db, c.get('merchantId'), c.req.valid('query')), 200),
    )
    .openapi(retrieve, async (c) =>
      c.json(await getPayout(database.db, c.get('merchantId'), c.req.valid('param').id!), 200),
    );
}
