import type { Clock } from './clock.js';

/**
 * Per-credential token bucket, in process memory: each replica limits on its own, which is
 * enough to stop one runaway client from starving the pool. 429s carry `Retry-After`, and
 * clients should back off exponentially (docs.stripe.com/rate-limits).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number = perSecond * 2,
    private readonly clock: Clock = Date.now,
  ) {}

  /** Takes a token for `key`; returns 0 when allowed, else the seconds to wait. */
  take(key: string): number {
    if (this.perSecond <= 0) return 0;
    const bucket = this.refill(key);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return this.wait(bucket.tokens);
  }

  /** Like `take` without taking: 0 when a token is there, else the seconds until one is. */
  peek(key: string): number {
    if (this.perSecond <= 0) return 0;
    const bucket = this.refill(key);
    return bucket.tokens >= 1 ? 0 : this.wait(bucket.tokens);
  }

  private refill(key: string): { tokens: number; updated: number } {
    const now = this.clock();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updated: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updated) / 1000) * this.perSecond);
    bucket.updated = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 100_000) this.buckets.clear();
    return bucket;
  }

  private wait(tokens: number): number {
    return Math.ceil((1 - tokens) / this.perSecond);
  }
}
