import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  it('allows a burst, then refuses until tokens refill', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 3, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
    now = 500;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
  });

  it('peeks without taking', () => {
    let now = 0;
    const limiter = new RateLimiter(0.5, 2, () => now);
    expect([limiter.peek('a'), limiter.peek('a'), limiter.peek('a')]).toEqual([0, 0, 0]);
    expect([limiter.take('a'), limiter.take('a')]).toEqual([0, 0]);
    expect(limiter.peek('a')).toBe(2);
    now = 2000;
    expect(limiter.peek('a')).toBe(0);
  });

  it('is disabled with a rate of 0', () => {
    const limiter = new RateLimiter(0);
    for (let i = 0; i < 1000; i++) expect(limiter.take('a')).toBe(0);
  });
});
