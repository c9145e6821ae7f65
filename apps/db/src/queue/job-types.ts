/**
 * Per-type attempt budgets, applied at enqueue (the row's `max_attempts` is what the worker and
 * the lease rescue obey). Webhook deliveries get 10 attempts, which the worker's webhook backoff
 * (10 min doubling, capped at 24 h) spreads over about 3 days, as Stripe retries live webhooks
 * (docs/design/apps.md §Webhooks).
 */
export const MAX_ATTEMPTS_BY_TYPE: Readonly<Record<string, number>> = {
  'payment.process': 10,
  'webhook.deliver': 10,
  'payout.settle': 10,
};

export const DEFAULT_MAX_ATTEMPTS = 10;

export function defaultMaxAttempts(type: string): number {
  return MAX_ATTEMPTS_BY_TYPE[type] ?? DEFAULT_MAX_ATTEMPTS;
}
