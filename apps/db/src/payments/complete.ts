import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import type { Currency } from '../currencies.js';
import { emitEvent } from '../events/emit.js';
import { postLedgerTransaction } from '../ledger/post.js';
import { type PaymentRow, paymentObject } from '../objects.js';
import { payments } from '../schema/payments.js';

export type PaymentOutcome = { status: 'succeeded' } | { status: 'failed'; failureCode: string };

/**
 * Moves a pending payment to its final state, in the caller's transaction: sets the status
 * (capturing the full amount on success), posts the capture to the ledger and emits
 * `payment.succeeded` / `payment.failed`. Only a `pending` payment moves, so a duplicate
 * `payment.process` job (at-least-once delivery) changes nothing and returns `changed: false`.
 */
export async function completePayment(
  tx: Executor,
  paymentId: string,
  outcome: PaymentOutcome,
  options: { traceContext?: Record<string, string> | null } = {},
): Promise<{ changed: boolean; payment: PaymentRow | undefined }> {
  const succeeded = outcome.status === 'succeeded';
  const [payment] = await tx
    .update(payments)
    .set({
      status: outcome.status,
      failureCode: succeeded ? null : outcome.failureCode,
      amountCaptured: succeeded ? sql`${payments.amount}` : 0,
      updatedAt: sql`now()`,
    })
    .where(and(eq(payments.id, paymentId), eq(payments.status, 'pending')))
    .returning();
  if (!payment) {
    const [current] = await tx.select().from(payments).where(eq(payments.id, paymentId));
    return { changed: false, payment: current };
  }
  if (succeeded) {
    await postLedgerTransaction(tx, {
      merchantId: payment.merchantId,
      key: `payment:${payment.id}:capture`,
      description: `capture of ${payment.id}`,
      paymentId: payment.id,
      legs: [
        {
          account: 'processor_receivable',
          currency: payment.currency as Currency,
          direction: 'debit',
          amount: payment.amount,
        },
        {
          account: 'merchant_pending',
          currency: payment.currency as Currency,
          direction: 'credit',
          amount: payment.amount,
        },
      ],
    });
  }
  await emitEvent(tx, {
    merchantId: payment.merchantId,
    type: `payment.${outcome.status}`,
    objectId: payment.id,
    data: { object: paymentObject(payment) },
    traceContext: options.traceContext ?? null,
  });
  return { changed: true, payment };
}
