import { describe, expect, it } from 'vitest';
import { simulateCharge } from './simulated-processor.js';

const base = { paymentId: 'pay_1', amount: 1000, currency: 'usd', attempt: 1 };

describe('simulateCharge', () => {
  it.each([
    ['pm_card_visa', { kind: 'approved', authorizationCode: 'auth_pay_1' }],
    ['4242 4242 4242 4242', { kind: 'approved', authorizationCode: 'auth_pay_1' }],
    ['pm_card_chargeDeclined', { kind: 'declined', code: 'card_declined' }],
    ['4000000000009995', { kind: 'declined', code: 'insufficient_funds' }],
    ['pm_card_expired', { kind: 'declined', code: 'expired_card' }],
    ['pm_card_timeout', { kind: 'timeout' }],
  ])('%s → %o', (paymentMethod, outcome) => {
    expect(simulateCharge({ ...base, paymentMethod })).toEqual(outcome);
  });

  it('times out once, then approves the retry', () => {
    expect(simulateCharge({ ...base, paymentMethod: 'pm_card_timeoutOnce' }).kind).toBe('timeout');
    expect(simulateCharge({ ...base, paymentMethod: 'pm_card_timeoutOnce', attempt: 2 }).kind).toBe(
      'approved',
    );
  });
});
