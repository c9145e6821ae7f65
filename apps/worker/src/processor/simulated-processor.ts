/**
 * A simulated card processor. Outcomes depend on the test payment method, the way card networks'
 * sandboxes work (Stripe's test cards: docs.stripe.com/testing), so demo data, the simulator and
 * tests can produce every path deterministically:
 *
 * | payment method                                   | outcome                                        |
 * |--------------------------------------------------|------------------------------------------------|
 * | `pm_card_visa`, `4242424242424242`, anything else | approved                                       |
 * | `pm_card_chargeDeclined`, `4000000000000002`      | declined `card_declined`                       |
 * | `pm_card_insufficientFunds`, `4000000000009995`   | declined `insufficient_funds`                  |
 * | `pm_card_expired`, `4000000000000069`             | declined `expired_card`                        |
 * | `pm_card_timeoutOnce`                             | times out on attempt 1, approved on a retry    |
 * | `pm_card_timeout`, `4000000000000119`             | always times out (the job retries, then fails) |
 */

export type ProcessorOutcome =
  | { kind: 'approved'; authorizationCode: string }
  | { kind: 'declined'; code: 'card_declined' | 'insufficient_funds' | 'expired_card' }
  | { kind: 'timeout' };

const DECLINES: Record<string, 'card_declined' | 'insufficient_funds' | 'expired_card'> = {
  pm_card_chargeDeclined: 'card_declined',
  '4000000000000002': 'card_declined',
  pm_card_insufficientFunds: 'insufficient_funds',
  '4000000000009995': 'insufficient_funds',
  pm_card_expired: 'expired_card',
  '4000000000000069': 'expired_card',
};

const ALWAYS_TIMEOUT = new Set(['pm_card_timeout', '4000000000000119']);

export interface ChargeRequest {
  /** Our payment id, sent as the processor's idempotency key so a retried charge is not doubled. */
  paymentId: string;
  paymentMethod: string;
  amount: number | bigint;
  currency: string;
  /** 1-based attempt number of the job. */
  attempt: number;
}

/** Decides the outcome of a charge. Pure and synchronous: the simulation has no latency. */
export function simulateCharge(request: ChargeRequest): ProcessorOutcome {
  const method = request.paymentMethod.replace(/\s+/g, '');
  const decline = DECLINES[method];
  if (decline) return { kind: 'declined', code: decline };
  if (ALWAYS_TIMEOUT.has(method)) return { kind: 'timeout' };
  if (method === 'pm_card_timeoutOnce' && request.attempt === 1) return { kind: 'timeout' };
  return { kind: 'approved', authorizationCode: `auth_${request.paymentId}` };
}
