/**
 * Payouts: the daily settlement batches that moved a merchant's available balance out (written
 * by the worker's `payout.settle`, see apps/worker/README.md "Settlement"). Read-only here.
 */
import { createRoute } from '@hono/zod-openapi';
import { type Database, payoutObject } from '@payday/db';
import { payouts } from '@payday/db/schema';
import { and, eq } from 'drizzle-orm';
import { notFound } from '../errors.js';
import { paginate } from '../http/pagination.js';
import { newRouter } from '../http/validation.js';
import { errorResponses, idParam, jsonContent, listSchema, paginationQuery } from '../schemas/common.js';
import { CurrencySchema, PayoutSchema } from '../schemas/objects.js';

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
    .openapi(list, async (c) => {
      const q = c.req.valid('query');
      const page = await paginate(
        q,
        '/v1/payouts',
        payouts.id,
        and(
          eq(payouts.merchantId, c.get('merchantId')),
          q.currency ? eq(payouts.currency, q.currency) : undefined,
        ),
        (where, orderBy, limit) =>
          database.db.select().from(payouts).where(where).orderBy(orderBy).limit(limit),
        payoutObject,
      );
      return c.json(page, 200);
    })
    .openapi(retrieve, async (c) => {
      const id = c.req.valid('param').id!;
      const [row] = await database.db
        .select()
        .from(payouts)
        .where(and(eq(payouts.id, id), eq(payouts.merchantId, c.get('merchantId'))));
      if (!row) throw notFound('payout', id);
      return c.json(payoutObject(row), 200);
    });
}
