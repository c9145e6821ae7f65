import { describe, expect, it } from 'vitest';
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
});
