import { createRoute, z } from '@hono/zod-openapi';
import { type Database, eventObject } from '@payday/db';
import { events } from '@payday/db/schema';
import { and, eq } from 'drizzle-orm';
import { notFound } from '../errors.js';
import { paginate } from '../http/pagination.js';
import { newRouter } from '../http/validation.js';
import { errorResponses, idParam, jsonContent, listSchema, paginationQuery } from '../schemas/common.js';
import { EventSchema } from '../schemas/objects.js';
import { getPayment } from '../services/payments.js';

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
  const page = (
    q: { limit: number; starting_after?: string | undefined; ending_before?: string | undefined },
    url: string,
    scope: ReturnType<typeof and>,
  ) =>
    paginate(
      q,
      url,
      events.id,
      scope,
      (where, orderBy, limit) => database.db.select().from(events).where(where).orderBy(orderBy).limit(limit),
      eventObject,
    );
  return newRouter()
    .openapi(list, async (c) => {
      const q = c.req.valid('query');
      const scope = and(
        eq(events.merchantId, c.get('merchantId')),
        q.type ? eq(events.type, q.type) : undefined,
        q.object_id ? eq(events.objectId, q.object_id) : undefined,
      );
      return c.json(await page(q, '/v1/events', scope), 200);
    })
    .openapi(retrieve, async (c) => {
      const id = c.req.valid('param').id!;
      const [row] = await database.db
        .select()
        .from(events)
        .where(and(eq(events.id, id), eq(events.merchantId, c.get('merchantId'))));
      if (!row) throw notFound('event', id);
      return c.json(eventObject(row), 200);
    })
    .openapi(paymentTimeline, async (c) => {
      const merchantId = c.get('merchantId');
      const payment = await getPayment(database.db, merchantId, c.req.valid('param').id!);
      const scope = and(eq(events.merchantId, merchantId), eq(events.objectId, payment.id));
      return c.json(await page(c.req.valid('query'), `/v1/payments/${payment.id}/events`, scope), 200);
    });
}
