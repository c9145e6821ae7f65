/**
 * `payment.process` {payment_id}: charges a pending payment with the simulated processor and
 * moves it to `succeeded` (posting the balanced capture to the ledger) or `failed`, emitting
 * `payment.succeeded` / `payment.failed` — all in one transaction with the job's completion.
 *
 * Exactly-once effect on at-least-once delivery: the payment row is locked (`FOR UPDATE`) and
 * only a `pending` payment moves; the ledger posting has an idempotency key
 * (`payment:<id>:capture`); and the job completes in the same transaction, so a worker killed
 * anywhere either committed all of it or none of it.
 */
import { completePayment } from '@payday/db';
import * as schema from '@payday/db/schema';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { simulateCharge } from '../processor/simulated-processor.js';
import { defineHandler, PermanentJobError, RetryableJobError } from '../runner/handler.js';

export const paymentProcessPayload = z.strictObject({ payment_id: z.string().regex(/^pay_[0-9a-z]+$/) });

export const paymentProcessHandler = defineHandler({
  type: 'payment.process',
  payload: paymentProcessPayload,
  // A processor timeout is usually brief: retry within seconds, not minutes.
  backoff: { baseMs: 2_000, capMs: 5 * 60_000, jitter: 0.2 },
  async run({ payment_id }, ctx) {
    await ctx.database.db.transaction(async (tx) => {
      const [payment] = await tx
        .select()
        .from(schema.payments)
        .where(eq(schema.payments.id, payment_id))
        .for('update');
      if (!payment) throw new PermanentJobError(`payment ${payment_id} does not exist`);
      if (payment.status !== 'pending') {
        ctx.log.info({ payment_id, status: payment.status }, 'payment already processed; duplicate job');
        await ctx.complete(tx);
        return;
      }
      const outcome = simulateCharge({
        paymentId: payment.id,
        paymentMethod: payment.paymentMethod,
        attempt: ctx.job.attempts,
      });
      if (outcome.kind === 'timeout' && !ctx.isLastAttempt) {
        throw new RetryableJobError('processor timeout');
      }
      const result =
        outcome.kind === 'approved'
          ? ({ status: 'succeeded' } as const)
          : ({
              status: 'failed',
              failureCode: outcome.kind === 'declined' ? outcome.code : 'processing_error',
            } as const);
      await completePayment(tx, payment.id, result, { traceContext: ctx.traceContext() });
      await ctx.complete(tx);
      ctx.log.info({ payment_id, outcome: result.status }, 'payment processed');
    });
  },
});
