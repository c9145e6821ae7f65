/**
 * Exponential backoff with jitter for failed jobs.
 *
 * delay(n) = min(base · 2^(n-1), cap) · (1 ± jitter), n = the attempt that just failed (1-based).
 * Jitter spreads retries of jobs that failed together (one receiver outage) so they do not come
 * back as a thundering herd (AWS Architecture Blog, "Exponential Backoff and Jitter").
 * `random` is injected so tests compute exact delays without sleeping.
 */

export interface BackoffPolicy {
  /** Delay after the first failure, in milliseconds. */
  baseMs: number;
  /** Upper bound of the nominal delay, in milliseconds. */
  capMs: number;
  /** Relative spread, 0…1: 0.2 means ±20 %. */
  jitter: number;
}

export function nominalDelayMs(policy: BackoffPolicy, failedAttempt: number): number {
  if (!Number.isInteger(failedAttempt) || failedAttempt < 1) {
    throw new Error(`backoff: attempt must be a positive integer, got ${failedAttempt}`);
  }
  // 2^(n-1) overflows to Infinity for large n, and min() clamps it: no special case needed.
  return Math.min(policy.baseMs * 2 ** (failedAttempt - 1), policy.capMs);
}

/** The delay before the next attempt; `random` returns a number in [0, 1). */
export function backoffDelayMs(
  policy: BackoffPolicy,
  failedAttempt: number,
  random: () => number = Math.random,
): number {
  const nominal = nominalDelayMs(policy, failedAttempt);
  const factor = 1 - policy.jitter + 2 * policy.jitter * random();
  return Math.round(nominal * factor);
}

/** Sum of nominal delays over a job's whole life: how long until it is dead-lettered. */
export function totalRetryWindowMs(policy: BackoffPolicy, maxAttempts: number): number {
  let total = 0;
  for (let n = 1; n < maxAttempts; n++) total += nominalDelayMs(policy, n);
  return total;
}
