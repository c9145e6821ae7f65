import { describe, expect, it } from 'vitest';
import { createLoginLimiter } from './login-limiter.js';

describe('createLoginLimiter', () => {
  it('blocks after maxFailures within the window and lets go after it', () => {
    let t = 1_000_000;
    const l = createLoginLimiter({
      maxFailures: 3,
      maxFailuresPerAddress: 3,
      windowMs: 60_000,
      now: () => t,
    });
    for (let i = 0; i < 3; i++) {
      expect(l.retryAfterMs('a@x.test', '1.1.1.1')).toBe(0);
      l.recordFailure('A@x.test ', '1.1.1.1');
      t += 1000;
    }
    expect(l.retryAfterMs('a@x.test', '1.1.1.1')).toBe(57_000);
    // Same email from another address: still blocked (per-account budget).
    expect(l.retryAfterMs('a@x.test', '2.2.2.2')).toBe(57_000);
    // Same address, another email: blocked too (per-address budget).
    expect(l.retryAfterMs('b@x.test', '1.1.1.1')).toBe(57_000);
    expect(l.retryAfterMs('b@x.test', '2.2.2.2')).toBe(0);
    t += 57_000;
    expect(l.retryAfterMs('a@x.test', '1.1.1.1')).toBe(0);
  });

  it('forgets an account’s failures after a successful sign-in', () => {
    const l = createLoginLimiter({ maxFailures: 2, windowMs: 60_000, now: () => 5 });
    l.recordFailure('a@x.test', '1.1.1.1');
    l.recordSuccess('a@x.test', '1.1.1.1');
    l.recordFailure('a@x.test', '3.3.3.3');
    expect(l.retryAfterMs('a@x.test', '3.3.3.3')).toBe(0);
  });
});

describe('per-address budget', () => {
  it('defaults to ten times the per-account budget, so a shared address is not locked out by one person', () => {
    const l = createLoginLimiter({ maxFailures: 2, windowMs: 60_000, now: () => 5 });
    for (let i = 0; i < 19; i++) l.recordFailure(`user${i}@x.test`, '10.0.0.1');
    expect(l.retryAfterMs('someone-else@x.test', '10.0.0.1')).toBe(0);
    l.recordFailure('user19@x.test', '10.0.0.1');
    expect(l.retryAfterMs('someone-else@x.test', '10.0.0.1')).toBe(60_000);
  });
});
