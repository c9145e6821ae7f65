import { describe, expect, it } from 'vitest';
import { createLoginLimiter } from './login-limiter.js';

describe('createLoginLimiter', () => {
  it('blocks after maxFailures within the window and lets go after it', () => {
    let t = 1_000_000;
    const l = createLoginLimiter({ maxFailures: 3, windowMs: 60_000, now: () => t });
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
