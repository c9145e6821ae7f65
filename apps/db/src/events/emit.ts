import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { newId } from '../ids.js';
import type { EventRow } from '../objects.js';
import { enqueueStatement, type JobValue } from '../queue/enqueue.js';
import { events } from '../schema/events.js';

export interface EmitOptions {
  merchantId: string;
  /** `payment.created`, `payment.succeeded`, `payment.failed`, `refund.created`, … */
  type: string;
  objectId?: string;
  /** `{ object: <the object as the API shows it> }`, as Stripe's event `data`. */
  data: Record<string, unknown>;
  traceContext?: Record<string, string> | null;
}

/**
 * Records an event and, in the same transaction, enqueues one `webhook.deliver` job per enabled
 * endpoint subscribed to its type (`*` subscribes to all). The job's unique key makes the fan-out
 * idempotent; delivery itself is the worker's (at-least-once, receivers dedupe on `evt_…`).
 */
export async function emitEvent(tx: Executor, options: EmitOptions): Promise<EventRow> {
  // The id is made here, so the two statements do not depend on each other and postgres.js
  // pipelines them on the transaction's connection: one round trip instead of two.
  const id = newId('evt');
  const [inserted] = await Promise.all([
    tx
      .insert(events)
      .values({
        id,
        merchantId: options.merchantId,
        type: options.type,
        objectId: options.objectId ?? null,
        data: options.data,
      })
      .returning(),
    tx.execute(webhookFanOut(id, options.merchantId, options.type, options.traceContext ?? null)),
  ]);
  return inserted[0]!;
}

/**
 * The fan-out statement of `emitEvent`: one `webhook.deliver` job per enabled endpoint of the
 * merchant subscribed to `type` (or `*`), idempotent on the job's unique key, built by the
 * queue's `enqueueStatement`. Exported so a caller can run it as a data-modifying CTE of a
 * larger statement (`CREATE_PAYMENT`); values may be placeholders of that statement. `events`,
 * when given, is a FROM item with one row per event (`CREATE_PAYMENTS`' rows), whose columns
 * the values then name: the fan-out of every event of a group in one INSERT.
 */
export function webhookFanOut(
  eventId: JobValue<string>,
  merchantId: JobValue<string>,
  type: JobValue<string>,
  traceContext: JobValue<Record<string, string> | null>,
  events?: SQL,
): SQL {
  const perEvent = events ? sql`${events}, ` : sql``;
  return enqueueStatement({
    type: 'webhook.deliver',
    payload: { event_id: eventId, endpoint_id: sql`e.id` },
    uniqueKey: sql`'webhook.deliver:' || ${eventId}::text || ':' || e.id`,
    traceContext,
    source: sql`${perEvent}webhook_endpoints e
       where e.merchant_id = ${merchantId}
         and e.enabled
         and e.enabled_events && array[${type}::text, '*']`,
  });
}
