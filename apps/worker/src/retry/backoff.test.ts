import { defaultMaxAttempts } from '@payday/db';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_BACKOFF } from '../jobs/webhook-deliver.js';
import { backoffDelayMs, nominalDelayMs, totalRetryWindowMs } from './backoff.js';

const policy = { baseMs: 1000, capMs: 60_000, jitter: 0.2 };

describe('backoff', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => nominalDelayMs(policy, n))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000,
    ]);
    expect(nominalDelayMs(policy, 5000)).toBe(60_000);
  });

  it('applies ±jitter around the nominal delay with the injected random source', () => {
    expect(backoffDelayMs(policy, 3, () => 0)).toBe(3200);
    expect(backoffDelayMs(policy, 3, () => 0.5)).toBe(4000);
    expect(backoffDelayMs(policy, 3, () => 0.999_999)).toBe(4800);
  });

  it('rejects a non-positive attempt number', () => {
    expect(() => nominalDelayMs(policy, 0)).toThrow('attempt must be a positive integer, got 0');
  });

  it('sums the nominal delays before the last attempt', () => {
    expect(totalRetryWindowMs(policy, 1)).toBe(0);
    expect(totalRetryWindowMs(policy, 4)).toBe(7000);
  });

  it('spreads webhook retries over about three days before the dead letter (Stripe live mode)', () => {
    const hours = totalRetryWindowMs(WEBHOOK_BACKOFF, defaultMaxAttempts('webhook.deliver')) / 3_600_000;
    expect(hours).toBe(66.5);
    // Even at the extremes of the ±20 % jitter the window stays between two and four days.
    expect(hours * 0.8).toBeGreaterThan(48);
    expect(hours * 1.2).toBeLessThan(96);
  });
});
