import { type Executor, eventObject } from '@payday/db';
import { events } from '@payday/db/schema';
import { and, eq, type SQL } from 'drizzle-orm';
import { notFound } from '../errors.js';
import { type PageQuery, paginate } from './pagination.js';
import { getPayment } from './payments.js';

function eventPage(db: Executor, query: PageQuery, url: string, scope: SQL | undefined) {
  return paginate(
    query,
    url,
    events.id,
    scope,
    (where, orderBy, limit) => db.select().from(events).where(where).orderBy(orderBy).limit(limit),
    eventObject,
  );
}

/** `GET /v1/events`, optionally only of one type or about one object. */
export function listEvents(
  db: Executor,
  merchantId: string,
  query: PageQuery & { type?: string | undefined; object_id?: string | undefined },
) {
  const scope = and(
    eq(events.merchantId, merchantId),
    query.type ? eq(events.type, query.type) : undefined,
    query.object_id ? eq(events.objectId, query.object_id) : undefined,
  );
  return eventPage(db, query, '/v1/events', scope);
}

export async function getEvent(db: Executor, merchantId: string, id: string) {
  const [row] = await db
    .select()
    .from(events)
    .where(and(eq(events.id, id), eq(events.merchantId, merchantId)));
  if (!row) throw notFound('event', id);
  return eventObject(row);
}

/** `GET /v1/payments/{id}/events`: a payment's timeline; an unknown payment is a 404. */
export async function listPaymentEvents(
  db: Executor,
  merchantId: string,
  paymentId: string,
  query: PageQuery,
) {
  const payment = await getPayment(db, merchantId, paymentId);
  const scope = and(eq(events.merchantId, merchantId), eq(events.objectId, payment.id));
  return eventPage(db, query, `/v1/payments/${payment.id}/events`, scope);
}
