/**
 * Resolves a webhook URL to the one address we will connect to, refusing private targets
 * (`@payday/db/webhook-target`: the worker runs it before each delivery, the API at
 * registration, so both judge a URL the same way).
 *
 * The check runs on the *resolved* addresses, not the hostname: `internal.example` may resolve
 * to 10.0.0.5. Every address of the answer must be public (an attacker's DNS may mix a public
 * and a private record), and the caller then connects to the checked address only (the worker's
 * apps/worker/src/webhooks/post-webhook.ts), so a second, different DNS answer (DNS rebinding)
 * cannot be used.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { forbiddenAddressReason } from './address-policy.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** `dns.promises.lookup(host, { all: true })` (getaddrinfo, honours /etc/hosts); injectable. */
export type Lookup = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemLookup: Lookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

export interface TargetPolicy {
  /**
   * Allow private, loopback and link-local targets. Only for local runs (npm start's webhook
   * sink on 127.0.0.1); never set in a cluster. Config: `WEBHOOK_ALLOW_PRIVATE_TARGETS=true`.
   */
  allowPrivateTargets: boolean;
  lookup?: Lookup;
}

/** The delivery must not be attempted; recorded as a `refused` delivery with this message. */
export class TargetRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetRefusedError';
  }
}

export interface WebhookTarget {
  url: URL;
  /** The checked address the connection is pinned to. */
  address: string;
  family: 4 | 6;
}

export async function resolveTarget(rawUrl: string, policy: TargetPolicy): Promise<WebhookTarget> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new TargetRefusedError(`invalid URL ${JSON.stringify(rawUrl)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TargetRefusedError(`unsupported scheme ${url.protocol} (only http and https)`);
  }
  if (url.username || url.password) throw new TargetRefusedError('credentials in the URL are not allowed');
  // URL keeps IPv6 literals in brackets.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(host);
  const addresses: ResolvedAddress[] = literal
    ? [{ address: host, family: literal === 6 ? 6 : 4 }]
    : await (policy.lookup ?? systemLookup)(host);
  if (addresses.length === 0) throw new Error(`${host} resolved to no address`);
  if (!policy.allowPrivateTargets) {
    for (const a of addresses) {
      const reason = forbiddenAddressReason(a.address);
      if (reason) {
        throw new TargetRefusedError(
          `refused ${literal ? host : `${host} (resolves to ${a.address})`}: ${reason}; private targets are not allowed (SSRF guard)`,
        );
      }
    }
  }
  const chosen = addresses[0]!;
  return { url, address: chosen.address, family: chosen.family };
}
