import {
  type Currency,
  type Executor,
  emitEvent,
  paymentObject,
  pgErrorOf,
  postLedgerTransaction,
  refundObject,
  SQLSTATE,
} from '@payday/db';
import { payments, refunds } from '@payday/db/schema';
import { and, eq } from 'drizzle-orm';
import { badRequest, notFound } from '../errors.js';
import { type PageQuery, paginate } from './pagination.js';

export interface CreateRefundInput {
  payment: string;
  amount?: number | undefined;
  reason?: string | undefined;
  metadata?: Record<string, string> | undefined;
}

/**
 * Refunds part or all of a succeeded payment. The payment row is locked first (FOR UPDATE), so
 * concurrent refunds of one payment run one after another and each sees what the previous
 * left refundable; the database's own check (payments_refunded_le_captured, kept by the
 * refunds trigger) is the backstop should any path skip this. Posts the reversing ledger
 * entries and emits `refund.created` and `payment.refunded`.
 */
export async function createRefund(
  tx: Executor,
  merchantId: string,
  input: CreateRefundInput,
  traceContext: Record<string, string> | null,
) {
  const [payment] = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.id, input.payment), eq(payments.merchantId, merchantId)))
    .for('update');
  if (!payment) throw notFound('payment', input.payment, 'payment');
  if (payment.status !== 'succeeded') {
    throw badRequest(
      'payment_not_refundable',
      `Payment ${payment.id} is ${payment.status}; only succeeded payments can be refunded.`,
      'payment',
    );
  }
  const refundable = payment.amountCaptured - payment.amountRefunded;
  if (refundable === 0) {
    throw badRequest(
      'charge_already_refunded',
      `Payment ${payment.id} has already been refunded in full.`,
      'payment',
    );
  }
  const amount = input.amount ?? refundable;
  if (amount > refundable) {
    throw badRequest(
      'amount_too_large',
      `Refund amount (${amount}) is greater than the amount still refundable on payment ${payment.id} (${refundable}).`,
      'amount',
    );
  }
  let refund: typeof refunds.$inferSelect;
  try {
    [refund] = (await tx
      .insert(refunds)
      .values({
        merchantId,
        paymentId: payment.id,
        amount,
        currency: payment.currency,
        reason: input.reason ?? null,
        metadata: input.metadata ?? {},
      })
      .returning()) as [typeof refunds.$inferSelect];
  } catch (error) {
    const pg = pgErrorOf(error);
    if (pg?.code === SQLSTATE.checkViolation && pg.constraint_name === 'payments_refunded_le_captured') {
      throw badRequest(
        'amount_too_large',
        `Refund would exceed the captured amount of payment ${payment.id}.`,
        'amount',
      );
    }
    throw error;
  }
  const currency = payment.currency as Currency;
  await postLedgerTransaction(tx, {
    merchantId,
    key: `refund:${refund.id}`,
    description: `refund ${refund.id} of ${payment.id}`,
    paymentId: payment.id,
    refundId: refund.id,
    legs: [
      { account: 'merchant_pending', currency, direction: 'debit', amount },
      { account: 'processor_receivable', currency, direction: 'credit', amount },
    ],
  });
  const object = refundObject(refund);
  await emitEvent(tx, {
    merchantId,
    type: 'refund.created',
    objectId: refund.id,
    data: { object },
    traceContext,
  });
  const updated = { ...payment, amountRefunded: payment.amountRefunded + amount, updatedAt: new Date() };
  await emitEvent(tx, {
    merchantId,
    type: 'payment.refunded',
    objectId: payment.id,
    data: { object: paymentObject(updated) },
    traceContext,
  });
  return object;
}

export async function getRefund(tx: Executor, merchantId: string, id: string) {
  const [row] = await tx
    .select()
    .from(refunds)
    .where(and(eq(refunds.id, id), eq(refunds.merchantId, merchantId)));
  if (!row) throw notFound('refund', id);
  return refundObject(row);
}

/** `GET /v1/refunds`: newest first, optionally only those of one payment. */
export function listRefunds(
  db: Executor,
  merchantId: string,
  query: PageQuery & { payment?: string | undefined },
) {
  return paginate(
    query,
    '/v1/refunds',
    refunds.id,
    and(eq(refunds.merchantId, merchantId), query.payment ? eq(refunds.paymentId, query.payment) : undefined),
    (where, orderBy, limit) => db.select().from(refunds).where(where).orderBy(orderBy).limit(limit),
    refundObject,
  );
}
