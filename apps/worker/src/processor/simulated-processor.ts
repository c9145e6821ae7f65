/**
 * A simulated card processor. The outcome depends on the test payment method, the way card
 * networks' sandboxes work (Stripe's test cards, docs.stripe.com/testing); the table of methods
 * is shared with the API (`TEST_PAYMENT_METHODS` in @payday/db), which validates them.
 */
import { TEST_PAYMENT_METHODS } from '@payday/db';

export type ProcessorOutcome =
  | { kind: 'approved'; authorizationCode: string }
  | { kind: 'declined'; code: string }
  | { kind: 'timeout' };

export interface ChargeRequest {
  /** Our payment id, the processor's idempotency key: a retried charge is not charged twice. */
  paymentId: string;
  paymentMethod: string;
  /** 1-based attempt number of the job. */
  attempt: number;
}

/** Decides the outcome of a charge. Pure and synchronous: the simulation has no latency. */
export function simulateCharge(request: ChargeRequest): ProcessorOutcome {
  const method = (
    TEST_PAYMENT_METHODS as Record<string, (typeof TEST_PAYMENT_METHODS)[keyof typeof TEST_PAYMENT_METHODS]>
  )[request.paymentMethod];
  // The API only accepts known methods; anything else is declined as a real processor would.
  if (!method) return { kind: 'declined', code: 'invalid_payment_method' };
  switch (method.outcome) {
    case 'succeeded':
      return { kind: 'approved', authorizationCode: `auth_${request.paymentId}` };
    case 'failed':
      return { kind: 'declined', code: method.failureCode };
    case 'retry_then_succeeded':
      return request.attempt === 1
        ? { kind: 'timeout' }
        : { kind: 'approved', authorizationCode: `auth_${request.paymentId}` };
  }
}
