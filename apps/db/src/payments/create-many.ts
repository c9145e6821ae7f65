import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { webhookFanOut } from '../events/emit.js';
import { prepareStatement } from '../prepared.js';
import { enqueueStatement } from '../queue/enqueue.js';
import {
  CREATE_PAYMENT,
  CREATE_PAYMENT_STORING_RESPONSE,
  type CreatePaymentStoringResponseValues,
  type CreatePaymentValues,
} from './create.js';

/**
 * One payment of a group: `CREATE_PAYMENT`'s values, or `CREATE_PAYMENT_STORING_RESPONSE`'s for
 * a request whose Idempotency-Key the API has claimed.
 */
export type GroupedPaymentValues = CreatePaymentValues | CreatePaymentStoringResponseValues;

/** Whether a payment's values carry a response to store on its claimed Idempotency-Key. */
export function storesResponse(v: GroupedPaymentValues): v is CreatePaymentStoringResponseValues {
  return typeof v.responseBody === 'string';
}

/** One payment on its own single-row statement, storing its response when its values carry one. */
export function createPaymentAlone(db: Executor, values: GroupedPaymentValues) {
  return storesResponse(values)
    ? CREATE_PAYMENT_STORING_RESPONSE.execute(db, values)
    : CREATE_PAYMENT.execute(db, values);
}

/**
 * The columns of a group, in `unnest()` order: each is one `text[]` parameter with one element
 * per payment, cast in SQL. All text, because drizzle's postgres.js driver replaces the
 * serializers of the date array types (its `timestamptz[]` parameter would not be sent as an
 * array literal), and text needs no per-type serializer at all.
 */
const COLUMNS = {
  id: (v: GroupedPaymentValues) => v.id,
  merchant_id: (v) => v.merchantId,
  amount: (v) => String(v.amount),
  currency: (v) => v.currency,
  description: (v) => v.description,
  metadata: (v) => v.metadata,
  customer_reference: (v) => v.customerReference,
  payment_method: (v) => v.paymentMethod,
  idempotency_key: (v) => v.idempotencyKey,
  created_at: (v) => v.createdAt,
  event_id: (v) => v.eventId,
  event_data: (v) => v.eventData,
  trace_context: (v) => v.traceContext,
  response_status: (v) => (storesResponse(v) ? String(v.responseStatus) : null),
  response_body: (v) => (storesResponse(v) ? v.responseBody : null),
} satisfies Record<string, (v: GroupedPaymentValues) => string | null>;

type Column = keyof typeof COLUMNS;

/** `CREATE_PAYMENTS`' values: one array per column, element i for payment i. */
export type CreatePaymentsValues = Record<Column, (string | null)[]>;

const names = Object.keys(COLUMNS) as Column[];
const rows = sql`new_payments r`;

/**
 * `CREATE_PAYMENT` for many payments in ONE statement: the rows come in as arrays (`unnest()`,
 * one parameter per column whatever the count, so one prepared statement serves every group
 * size), and each data-modifying CTE of the single statement becomes an INSERT … SELECT over
 * them: the payments, their `payment.created` events, the webhook fan-out (`webhookFanOut` over
 * the rows) and one `payment.process` job each (the queue's own `enqueueStatement`). Rows that
 * carry a response store it on their claimed Idempotency-Key, as
 * `CREATE_PAYMENT_STORING_RESPONSE` does. Every row keeps its own merchant: the fan-out joins
 * endpoints on the row's merchant and the stored response matches the row's (merchant, key).
 *
 * Atomic like the single statement: one failing row (a reused Idempotency-Key) fails the whole
 * statement and nothing is written; the caller then runs each row on its own
 * (apps/api/src/payments/creation-batcher.ts) so only that row fails.
 */
function createPaymentsStatement(): SQL {
  const arrays = sql.join(
    names.map((name) => sql`${sql.placeholder(name)}::text[]`),
    sql`, `,
  );
  return sql`
      with new_payments as (
        select * from unnest(${arrays}) as u(${sql.raw(names.join(', '))})
      ),
      payment as (
        insert into payments (id, merchant_id, amount, currency, status, failure_code, description,
                              metadata, customer_reference, payment_method, amount_captured,
                              amount_refunded, idempotency_key, created_at, updated_at)
        select r.id, r.merchant_id, r.amount::bigint, r.currency, 'pending', null, r.description,
               r.metadata::jsonb, r.customer_reference, r.payment_method, 0, 0, r.idempotency_key,
               r.created_at::timestamptz, r.created_at::timestamptz
          from ${rows}
      ),
      event as (
        insert into events (id, merchant_id, type, object_id, data)
        select r.event_id, r.merchant_id, 'payment.created', r.id, r.event_data::jsonb
          from ${rows}
      ),
      fan_out as (${webhookFanOut(sql`r.event_id`, sql`r.merchant_id`, 'payment.created', sql`r.trace_context`, rows)}),
      job as (${enqueueStatement({
        type: 'payment.process',
        payload: { payment_id: sql`r.id` },
        uniqueKey: sql`'payment.process:' || r.id`,
        traceContext: sql`r.trace_context`,
        source: rows,
      })}),
      stored as (
        update idempotency_keys k
           set status = 'completed', response_status = r.response_status::int,
               response_body = r.response_body, completed_at = now()
          from ${rows}
         where r.response_body is not null
           and k.merchant_id = r.merchant_id and k.key = r.idempotency_key
      )
      select 1`;
}

/** The group statement (`createPaymentsStatement`), compiled once. */
export const CREATE_PAYMENTS = prepareStatement<CreatePaymentsValues>(createPaymentsStatement());

/** The arrays `CREATE_PAYMENTS` binds for `group`, in the group's order. */
export function createPaymentsValues(group: readonly GroupedPaymentValues[]): CreatePaymentsValues {
  const values = {} as CreatePaymentsValues;
  for (const name of names) values[name] = group.map(COLUMNS[name]);
  return values;
}
