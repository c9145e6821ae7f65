import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '@payday/db';
import { routeResponse } from '../http/respond.js';
import { newRouter } from '../http/validation.js';
import { idempotent } from '../idempotency/idempotent.js';
import type { PaymentCreationBatcher } from '../payments/creation-batcher.js';
import {
  errorResponses,
  idempotencyHeaders,
  idParam,
  jsonBody,
  jsonContent,
  listSchema,
  paginationQuery,
} from '../schemas/common.js';
import { CreatePaymentSchema, PaymentSchema } from '../schemas/objects.js';
import {
  createPayment,
  createPaymentStoringResponse,
  getPayment,
  listPayments,
} from '../services/payments.js';
import { currentTraceContext } from '../telemetry/tracing.js';

const security = [{ bearerAuth: [] }];

const create = createRoute({
  method: 'post',
  path: '/v1/payments',
  operationId: 'createPayment',
  summary: 'Create a payment (pending until the worker processes it)',
  security,
  request: { headers: idempotencyHeaders, body: jsonBody(CreatePaymentSchema) },
  responses: { 200: jsonContent(PaymentSchema, 'The payment'), ...errorResponses },
});

const retrieve = createRoute({
  method: 'get',
  path: '/v1/payments/{id}',
  operationId: 'getPayment',
  summary: 'Retrieve a payment',
  security,
  request: { params: idParam('id', 'pay') },
  responses: { 200: jsonContent(PaymentSchema, 'The payment'), ...errorResponses },
});

const list = createRoute({
  method: 'get',
  path: '/v1/payments',
  operationId: 'listPayments',
  summary: 'List payments, newest first',
  security,
  request: {
    query: paginationQuery('pay').extend({
      status: z.enum(['pending', 'succeeded', 'failed']).optional(),
      created_gte: z.iso
        .datetime({ offset: true })
        .optional()
        .openapi({ description: 'Created at or after' }),
      created_lt: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Created before' }),
    }),
  },
  responses: {
    200: jsonContent(listSchema(PaymentSchema, 'PaymentList'), 'A page of payments'),
    ...errorResponses,
  },
});

/**
 * `creations` groups the payment creations that arrive together into one statement
 * (payments/creation-batcher.ts); it writes on the pool, so it is used when the work runs on the
 * pool too, which is always the case with the options below.
 */
export function paymentRoutes(database: Database, creations: PaymentCreationBatcher) {
  return newRouter()
    .openapi(create, async (c) => {
      const body = c.req.valid('json');
      const merchantId = c.get('merchantId');
      return routeResponse(
        await idempotent(
          c,
          database,
          { key: c.req.valid('header')['idempotency-key'], body },
          async (tx, key) => {
            const via = tx === database.db ? creations : tx;
            return key === undefined
              ? { status: 200, body: await createPayment(via, merchantId, body, key, currentTraceContext()) }
              : createPaymentStoringResponse(via, merchantId, body, key, currentTraceContext());
          },
          // One statement writes the payment, event, fan-out and job, and with a key the response.
          { singleStatement: true, storesResponse: true },
        ),
      );
    })
    .openapi(retrieve, async (c) =>
      c.json(await getPayment(database.db, c.get('merchantId'), c.req.valid('param').id!), 200),
    )
    .openapi(list, async (c) =>
      c.json(await listPayments(database.db, c.get('merchantId'), c.req.valid('query')), 200),
    );
}
