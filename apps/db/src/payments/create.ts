import { type SQL, sql } from 'drizzle-orm';
import type { Currency } from '../currencies.js';
import { webhookFanOut } from '../events/emit.js';
import { ID_PREFIX, newId } from '../ids.js';
import { type PaymentRow, paymentObject } from '../objects.js';
import { prepareStatement } from '../prepared.js';
import { enqueueStatement, traceContextJson } from '../queue/enqueue.js';
import { DEFAULT_PAYMENT_METHOD } from './test-methods.js';

/** The values `CREATE_PAYMENT` binds on each call, by placeholder name. */
export interface CreatePaymentValues extends Record<string, unknown> {
  id: string;
  merchantId: string;
  amount: number;
  currency: string;
  description: string | null;
  /** JSON text. */
  metadata: string;
  customerReference: string | null;
  paymentMethod: string;
  idempotencyKey: string | null;
  /** ISO 8601; `created_at` and `updated_at`. */
  createdAt: string;
  eventId: string;
  /** The `payment.created` event's `data` (`{ object }`), JSON text. */
  eventData: string;
  /** W3C trace context as JSON text, or null. */
  traceContext: string | null;
}

const p = (name: keyof CreatePaymentStoringResponseValues & string) => sql.placeholder(name);

/**
 * Creates a pending payment: the payment row, its `payment.created` event, the event's webhook
 * fan-out (`webhookFanOut`) and the `payment.process` job (`enqueueStatement`, the queue's own
 * INSERT), as data-modifying CTEs of ONE statement, then `more` (further CTEs), if given.
 * Everything is decided by the caller (ids, timestamps, the event's payload), so the inserts do
 * not depend on one another's results: one parse/bind/execute and one round trip, and atomic on
 * its own (PostgreSQL runs a statement in its own transaction), so the API may skip BEGIN/COMMIT
 * when nothing else joins it.
 */
function createPaymentStatement(more: SQL = sql``): SQL {
  return sql`
      with payment as (
        insert into payments (id, merchant_id, amount, currency, status, failure_code, description,
                              metadata, customer_reference, payment_method, amount_captured,
                              amount_refunded, idempotency_key, created_at, updated_at)
        values (${p('id')}, ${p('merchantId')}, ${p('amount')}, ${p('currency')}, 'pending', null,
                ${p('description')}, ${p('metadata')}::jsonb, ${p('customerReference')},
                ${p('paymentMethod')}, 0, 0, ${p('idempotencyKey')}, ${p('createdAt')}::timestamptz,
                ${p('createdAt')}::timestamptz)
      ),
      event as (
        insert into events (id, merchant_id, type, object_id, data)
        values (${p('eventId')}, ${p('merchantId')}, 'payment.created', ${p('id')}, ${p('eventData')}::jsonb)
      ),
      fan_out as (${webhookFanOut(p('eventId'), p('merchantId'), 'payment.created', p('traceContext'))}),
      job as (${enqueueStatement({
        type: 'payment.process',
        payload: { payment_id: p('id') },
        uniqueKey: sql`'payment.process:' || ${p('id')}`,
        traceContext: p('traceContext'),
      })})${more}
      select 1`;
}

/**
 * The payment creation statement (`createPaymentStatement`), compiled once; the text is what the
 * benchmark runs too (bench/suites/api.ts).
 */
export const CREATE_PAYMENT = prepareStatement<CreatePaymentValues>(createPaymentStatement());

/** `CREATE_PAYMENT_STORING_RESPONSE`'s values: the payment's, with the response to store. */
export interface CreatePaymentStoringResponseValues extends CreatePaymentValues {
  idempotencyKey: string;
  responseStatus: number;
  /** The response body, byte for byte as the API sends it. */
  responseBody: string;
}

/**
 * The same statement for a request with an Idempotency-Key that the API has claimed (an
 * `in_flight` row in `idempotency_keys`): one more CTE stores the response on the claim, so the
 * payment and its stored response commit together in ONE statement, where a transaction would
 * take BEGIN, the insert, the UPDATE and COMMIT: four round trips. The response is known before
 * the statement runs (every value of the payment is decided by the caller).
 */
export const CREATE_PAYMENT_STORING_RESPONSE = prepareStatement<CreatePaymentStoringResponseValues>(
  createPaymentStatement(sql`,
      stored as (
        update idempotency_keys
           set status = 'completed', response_status = ${p('responseStatus')}::int,
               response_body = ${p('responseBody')}, completed_at = now()
         where merchant_id = ${p('merchantId')} and key = ${p('idempotencyKey')}
      )`),
);

export interface NewPayment {
  merchantId: string;
  amount: number;
  currency: Currency;
  description?: string | undefined;
  metadata?: Record<string, string> | undefined;
  customerReference?: string | undefined;
  paymentMethod?: string | undefined;
  idempotencyKey?: string | undefined;
  traceContext?: Record<string, string> | null | undefined;
}

/** The payment row `CREATE_PAYMENT` will write for `input`, and the values that make it write it. */
export function createPaymentValues(
  input: NewPayment,
  createdAt: Date = new Date(),
): { row: PaymentRow; values: CreatePaymentValues } {
  const row: PaymentRow = {
    id: newId(ID_PREFIX.payment, createdAt.getTime()),
    merchantId: input.merchantId,
    amount: input.amount,
    currency: input.currency,
    status: 'pending',
    failureCode: null,
    description: input.description ?? null,
    metadata: input.metadata ?? {},
    customerReference: input.customerReference ?? null,
    paymentMethod: input.paymentMethod ?? DEFAULT_PAYMENT_METHOD,
    amountCaptured: 0,
    amountRefunded: 0,
    idempotencyKey: input.idempotencyKey ?? null,
    createdAt,
    updatedAt: createdAt,
  };
  return {
    row,
    values: {
      id: row.id,
      merchantId: row.merchantId,
      amount: row.amount,
      currency: row.currency,
      description: row.description,
      metadata: JSON.stringify(row.metadata),
      customerReference: row.customerReference,
      paymentMethod: row.paymentMethod,
      idempotencyKey: row.idempotencyKey,
      createdAt: createdAt.toISOString(),
      eventId: newId('evt'),
      eventData: JSON.stringify({ object: paymentObject(row) }),
      traceContext: traceContextJson(input.traceContext),
    },
  };
}
