import { type Lookup, resolveTarget, systemLookup, TargetRefusedError } from '@payday/db/webhook-target';
import { badRequest } from '../errors.js';

export interface WebhookUrlPolicy {
  /** Local runs only (npm start's sink on 127.0.0.1): `WEBHOOK_ALLOW_PRIVATE_TARGETS=true`. */
  allowPrivateTargets: boolean;
  lookup?: Lookup;
}

/** A registration waits at most this long for DNS; past it the URL is accepted as unresolved. */
const LOOKUP_TIMEOUT_MS = 2_000;

/**
 * Refuses, at registration, a webhook URL the worker would refuse at delivery: the worker's own
 * SSRF guard (@payday/db/webhook-target, apps/db/src/webhooks/target.ts) on the same URL, so the merchant learns
 * at once rather than from failed deliveries. A host that does not resolve (yet) is accepted;
 * the delivery-time check stays the one that counts, since DNS answers can change after this.
 */
export async function checkWebhookUrl(url: string, policy: WebhookUrlPolicy): Promise<void> {
  const lookup = policy.lookup ?? systemLookup;
  const bounded: Lookup = (host) =>
    Promise.race([
      lookup(host),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('DNS timeout')), LOOKUP_TIMEOUT_MS).unref(),
      ),
    ]);
  try {
    await resolveTarget(url, { allowPrivateTargets: policy.allowPrivateTargets, lookup: bounded });
  } catch (error) {
    if (error instanceof TargetRefusedError) {
      throw badRequest('url_not_allowed', `Invalid url: ${error.message}`, 'url');
    }
    // Not resolvable now (NXDOMAIN, timeout): nothing to judge yet.
  }
}
