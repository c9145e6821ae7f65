/**
 * Login throttling (OWASP Authentication Cheat Sheet, "Protect against automated attacks"):
 * at most `maxFailures` failed sign-ins per email, and `maxFailuresPerAddress` (default ten times
 * that) per client address, within `windowMs`. Counting per email stops password guessing
 * against one account from many addresses; per address stops one client spraying many
 * accounts. The address budget is larger because many people can share one address (an office
 * NAT, or every request when TRUST_PROXY is off behind an ingress). State is per process: each replica enforces
 * its own budget, which still bounds guessing to `maxFailures × replicas` per window; the API's
 * own login endpoint is the authoritative check.
 */
export interface LoginLimiterOptions {
  maxFailures: number;
  maxFailuresPerAddress?: number;
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

  const perAddress = options.maxFailuresPerAddress ?? options.maxFailures * 10;
  const keys = (email: string, address: string) => [
    { key: `e:${email.trim().toLowerCase()}`, max: options.maxFailures },
    { key: `a:${address}`, max: perAddress },
  ];

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
      for (const { key, max } of keys(email, address)) {
        const list = recent(key);
        if (list.length >= max) {
          const oldestThatCounts = list[list.length - max]!;
          wait = Math.max(wait, oldestThatCounts + options.windowMs - now());
        }
      }
      return wait;
    },
    recordFailure(email, address) {
      for (const { key, max } of keys(email, address)) {
        const list = recent(key);
        list.push(now());
        // Bounded memory: only the newest `max` failures matter for the decision.
        failures.set(key, list.slice(-max));
      }
      if (failures.size > 100_000) failures.clear();
    },
    recordSuccess(email) {
      failures.delete(keys(email, '')[0]!.key);
    },
  };
}
