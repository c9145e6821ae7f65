import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '@payday/db';
import { newRouter } from '../http/validation.js';
import { errorResponses, idParam, jsonContent, listSchema, paginationQuery } from '../schemas/common.js';
import { EventSchema } from '../schemas/objects.js';
import { getEvent, listEvents, listPaymentEvents } from '../services/events.js';

const security = [{ bearerAuth: [] }];
const EventList = listSchema(EventSchema, 'EventList');

const list = createRoute({
  method: 'get',
  path: '/v1/events',
  operationId: 'listEvents',
  summary: 'List events, newest first',
  security,
  request: {
    query: paginationQuery('evt').extend({
      type: z.string().max(100).optional().openapi({ example: 'payment.succeeded' }),
      object_id: z.string().max(100).optional().openapi({ description: 'Only events about this object' }),
    }),
  },
  responses: { 200: jsonContent(EventList, 'A page of events'), ...errorResponses },
});

const retrieve = createRoute({
  method: 'get',
  path: '/v1/events/{id}',
  operationId: 'getEvent',
  summary: 'Retrieve an event',
  security,
  request: { params: idParam('id', 'evt') },
  responses: { 200: jsonContent(EventSchema, 'The event'), ...errorResponses },
});

const paymentTimeline = createRoute({
  method: 'get',
  path: '/v1/payments/{id}/events',
  operationId: 'listPaymentEvents',
  summary: "A payment's events (its timeline), newest first",
  security,
  request: { params: idParam('id', 'pay'), query: paginationQuery('evt') },
  responses: { 200: jsonContent(EventList, 'A page of events'), ...errorResponses },
});

export function eventRoutes(database: Database) {
  return newRouter()
    .openapi(list, async (c) =>
      c.json(await listEvents(database.db, c.get('merchantId'), c.req.valid('query')), 200),
    )
    .openapi(retrieve, async (c) =>
      c.json(await getEvent(database.db, c.get('merchantId'), c.req.valid('param').id!), 200),
    )
    .openapi(paymentTimeline, async (c) =>
      c.json(
        await listPaymentEvents(
          database.db,
          c.get('merchantId'),
          c.req.valid('param').id!,
          c.req.valid('query'),
        ),
        200,
      ),
    );
}
