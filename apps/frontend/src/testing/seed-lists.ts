/**
 * Lists longer than one dashboard page, written as the worker would write them: payouts as the
 * daily settlement records them, delivery attempts as `webhook.deliver` records them, a payment
 * timeline as events accumulate. Ids carry their creation time (`newId`), so the order is fixed.
 */
import { type Database, newId } from '@payday/db';
import { events, payouts, webhookDeliveries } from '@payday/db/schema';

const DAY_MS = 86_400_000;

/** `count` daily payouts ending on `lastDay` (YYYY-MM-DD), amounts 100, 200, …; ids newest first. */
export async function seedPayouts(
  database: Database,
  merchantId: string,
  options: { count: number; currency: string; lastDay: string },
): Promise<{ id: string; amount: number; settlementDate: string }[]> {
  const last = Date.parse(`${options.lastDay}T00:00:00Z`);
  const rows = Array.from({ length: options.count }, (_, i) => {
    const day = last - (options.count - 1 - i) * DAY_MS;
    // Created the morning after the day it settles, a minute apart per currency.
    const created = day + DAY_MS + 6 * 3_600_000 + options.currency.charCodeAt(0) * 60_000;
    return {
      id: newId('po', created),
      createdAt: new Date(created),
      merchantId,
      currency: options.currency,
      amount: (i + 1) * 100,
      settlementDate: new Date(day).toISOString().slice(0, 10),
    };
  });
  await database.db.insert(payouts).values(rows);
  return rows.reverse().map(({ id, amount, settlementDate }) => ({ id, amount, settlementDate }));
}

/** `count` failed attempts of one event to one endpoint, one per attempt number; ids newest first. */
export async function seedDeliveries(
  database: Database,
  options: { endpointId: string; eventId: string; count: number },
): Promise<string[]> {
  const start = Date.now() - options.count * 60_000;
  const rows = Array.from({ length: options.count }, (_, i) => ({
    id: newId('wdl', start + i * 60_000),
    createdAt: new Date(start + i * 60_000),
    endpointId: options.endpointId,
    eventId: options.eventId,
    attempt: i + 1,
    status: 'failed' as const,
    httpStatus: 500 + (i % 4),
    durationMs: 10 + i,
    error: `receiver answered HTTP ${500 + (i % 4)}`,
  }));
  await database.db.insert(webhookDeliveries).values(rows);
  return rows.map((r) => r.id).reverse();
}

/** `count` more events about one object (a long timeline), oldest first, after `after` (ms). */
export async function seedEvents(
  database: Database,
  options: { merchantId: string; objectId: string; count: number; after: number },
): Promise<string[]> {
  const rows = Array.from({ length: options.count }, (_, i) => ({
    id: newId('evt', options.after + (i + 1) * 1000),
    createdAt: new Date(options.after + (i + 1) * 1000),
    merchantId: options.merchantId,
    type: 'refund.created',
    objectId: options.objectId,
    data: { object: { id: `re_seed${i}` } },
  }));
  await database.db.insert(events).values(rows);
  return rows.map((r) => r.id);
}
