/**
 * Login throttling (OWASP Authentication Cheat Sheet, "Protect against automated attacks"):
 * at most `maxFailures` failed sign-ins per email and per client address within `windowMs`.
 * Counting per email stops password guessing against one account from many addresses; per
 * address stops one client spraying many accounts. State is per process: each replica enforces
 * its own budget, which still bounds guessing to `maxFailures × replicas` per window; the API's
 * own login endpoint is the authoritative check.
 */
export interface LoginLimiterOptions {
  maxFailures: number;
  windowMs: number;
  now?: () => number;
}

export interface LoginLimiter {
  /** Milliseconds until another attempt is allowed, or 0 when one is allowed now. */
  retryAfterMs(email: string, address: string): number;
  recordFailure(email: string, address: string): void;
  recordSuccess(email: string, address: string): void;
}

export function createLoginLimiter(options: LoginLimiterOptions): LoginLimiter {
  const now = options.now ?? Date.now;
  const failures = new Map<string, number[]>();

  const keys = (email: string, address: string) => [`e:${email.trim().toLowerCase()}`, `a:${address}`];

  function recent(key: string): number[] {
    const cutoff = now() - options.windowMs;
    const list = (failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) failures.set(key, list);
    else failures.delete(key);
    return list;
  }

  return {
    retryAfterMs(email, address) {
      let wait = 0;
      for (const key of keys(email, address)) {
        const list = recent(key);
        if (list.length >= options.maxFailures) {
          const oldestThatCounts = list[list.length - options.maxFailures]!;
          wait = Math.max(wait, oldestThatCounts + options.windowMs - now());
        }
      }
      return wait;
    },
    recordFailure(email, address) {
      for (const key of keys(email, address)) {
        const list = recent(key);
        list.push(now());
        // Bounded memory: only the newest `maxFailures` matter for the decision.
        failures.set(key, list.slice(-options.maxFailures));
      }
      if (failures.size > 100_000) failures.clear();
    },
    recordSuccess(email) {
      failures.delete(keys(email, '')[0]!);
    },
  };
}
