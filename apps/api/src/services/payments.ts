import {
  type Currency,
  DEFAULT_PAYMENT_METHOD,
  type Executor,
  emitEvent,
  enqueue,
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
  let row: typeof payments.$inferSelect;
  try {
    [row] = (await tx
      .insert(payments)
      .values({
        merchantId,
        amount: input.amount,
        currency: input.currency,
        description: input.description ?? null,
        metadata: input.metadata ?? {},
        customerReference: input.customer_reference ?? null,
        paymentMethod: input.payment_method ?? DEFAULT_PAYMENT_METHOD,
        idempotencyKey: idempotencyKey ?? null,
      })
      .returning()) as [typeof payments.$inferSelect];
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
  const object = paymentObject(row);
  await emitEvent(tx, {
    merchantId,
    type: 'payment.created',
    objectId: row.id,
    data: { object },
    traceContext,
  });
  await enqueue(tx, {
    type: 'payment.process',
    payload: { payment_id: row.id },
    uniqueKey: `payment.process:${row.id}`,
    traceContext,
  });
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
