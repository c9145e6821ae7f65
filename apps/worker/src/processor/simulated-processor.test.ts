import { describe, expect, it } from 'vitest';
import { simulateCharge } from './simulated-processor.js';

const base = { paymentId: 'pay_1', attempt: 1 };

describe('simulateCharge', () => {
  it.each([
    ['pm_card_visa', { kind: 'approved', authorizationCode: 'auth_pay_1' }],
    ['pm_card_mastercard', { kind: 'approved', authorizationCode: 'auth_pay_1' }],
    ['pm_card_chargeDeclined', { kind: 'declined', code: 'card_declined' }],
    ['pm_card_insufficientFunds', { kind: 'declined', code: 'insufficient_funds' }],
    ['pm_card_expired', { kind: 'declined', code: 'expired_card' }],
    ['pm_card_unknown', { kind: 'declined', code: 'invalid_payment_method' }],
  ])('%s → %o', (paymentMethod, outcome) => {
    expect(simulateCharge({ ...base, paymentMethod })).toEqual(outcome);
  });

  it('times out once, then approves the retry', () => {
    expect(simulateCharge({ ...base, paymentMethod: 'pm_card_processingErrorOnce' }).kind).toBe('timeout');
    expect(simulateCharge({ ...base, paymentMethod: 'pm_card_processingErrorOnce', attempt: 2 }).kind).toBe(
      'approved',
    );
  });
});
