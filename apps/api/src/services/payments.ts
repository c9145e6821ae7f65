import {
  type Currency,
  DEFAULT_PAYMENT_METHOD,
  type Executor,
  emitEvent,
  enqueue,
  ID_PREFIX,
  newId,
  paymentObject,
  pgErrorOf,
  SQLSTATE,
} from '@payday/db';
import { payments } from '@payday/db/schema';
import { and, eq } from 'drizzle-orm';
import { ApiError, notFound } from '../errors.js';

export interface CreatePaymentInput {
  amount: number;
  currency: Currency;
  description?: string | undefined;
  metadata?: Record<string, string> | undefined;
  customer_reference?: string | undefined;
  payment_method?: string | undefined;
}

/**
 * Creates a pending payment, its `payment.created` event and the `payment.process` job in the
 * caller's transaction (the worker moves it to succeeded/failed and posts the ledger capture).
 */
export async function createPayment(
  tx: Executor,
  merchantId: string,
  input: CreatePaymentInput,
  idempotencyKey: string | undefined,
  traceContext: Record<string, string> | null,
) {
  // Everything is decided here (ids, timestamps, the event's payload), so the four inserts do
  // not depend on one another and postgres.js pipelines them on the transaction's connection:
  // one round trip between BEGIN and COMMIT instead of four.
  const createdAt = new Date();
  const row: typeof payments.$inferSelect = {
    id: newId(ID_PREFIX.payment, createdAt.getTime()),
    merchantId,
    amount: input.amount,
    currency: input.currency,
    status: 'pending',
    failureCode: null,
    description: input.description ?? null,
    metadata: input.metadata ?? {},
    customerReference: input.customer_reference ?? null,
    paymentMethod: input.payment_method ?? DEFAULT_PAYMENT_METHOD,
    amountCaptured: 0,
    amountRefunded: 0,
    idempotencyKey: idempotencyKey ?? null,
    createdAt,
    updatedAt: createdAt,
  };
  const object = paymentObject(row);
  try {
    await Promise.all([
      tx.insert(payments).values(row),
      emitEvent(tx, {
        merchantId,
        type: 'payment.created',
        objectId: row.id,
        data: { object },
        traceContext,
      }),
      enqueue(tx, {
        type: 'payment.process',
        payload: { payment_id: row.id },
        uniqueKey: `payment.process:${row.id}`,
        traceContext,
      }),
    ]);
  } catch (error) {
    const pg = pgErrorOf(error);
    if (pg?.code === SQLSTATE.uniqueViolation && pg.constraint_name === 'payments_merchant_idempotency_key') {
      throw new ApiError(
        409,
        'idempotency_error',
        'idempotency_key_expired',
        `A payment was already created with Idempotency-Key '${idempotencyKey}' more than 24 hours ago; a payment's key is never reused. Use a new key.`,
      );
    }
    throw error;
  }
  return object;
}

export async function getPayment(tx: Executor, merchantId: string, id: string, param?: string) {
  const [row] = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.id, id), eq(payments.merchantId, merchantId)));
  if (!row) throw notFound('payment', id, param);
  return row;
}
