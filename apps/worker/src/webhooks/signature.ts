/**
 * Payday webhook signatures: `Payday-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`.
 *
 * The scheme is Stripe's (see docs/design/apps.md §Webhooks): the MAC is
 * HMAC-SHA256 over `"<t>.<raw body>"`, so the timestamp is authenticated and a captured request
 * cannot be replayed outside the tolerance window. During secret rotation the sender signs with
 * every active secret and emits one `v1` per secret; a receiver accepts the request when any of
 * them matches any secret it knows. This module has no dependencies so merchants can copy it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header name, lower-cased as Node exposes incoming headers. */
export const SIGNATURE_HEADER = 'payday-signature';

/** Stripe's SDKs reject timestamps further than 300 s from now (stripe-go `DefaultTolerance`). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** HMAC-SHA256 (hex) of `"<t>.<payload>"`. */
export function computeSignature(secret: string, timestamp: number, payload: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(payload).digest('hex');
}

/** Builds the header value, one `v1` per active secret (rotation: new and old both sign). */
export function signatureHeader(
  secrets: readonly string[],
  timestamp: number,
  payload: string | Buffer,
): string {
  if (secrets.length === 0) throw new Error('signatureHeader: at least one secret is required');
  if (!Number.isInteger(timestamp) || timestamp < 0) {
    throw new Error(`signatureHeader: timestamp must be whole unix seconds, got ${timestamp}`);
  }
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${computeSignature(s, timestamp, payload)}`)].join(',');
}

export type VerifyFailure = 'missing_header' | 'malformed_header' | 'timestamp_out_of_tolerance' | 'no_match';

export class WebhookSignatureError extends Error {
  constructor(
    readonly reason: VerifyFailure,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}

export interface VerifyOptions {
  /** The raw request body exactly as received: re-serialised JSON would not match. */
  payload: string | Buffer;
  /** The `Payday-Signature` header value. */
  header: string | null | undefined;
  /** Every secret the endpoint currently accepts (during rotation: the new and the old one). */
  secrets: readonly string[];
  /** Maximum age (and clock skew) in seconds; default 300. */
  toleranceSeconds?: number;
  /** Current unix time in seconds (inject for tests); default the system clock. */
  now?: number;
}

/**
 * Verifies a `Payday-Signature` header and returns its timestamp, or throws a
 * {@link WebhookSignatureError} saying why not. Comparison is constant-time
 * (`crypto.timingSafeEqual`) so the check leaks nothing about how many bytes matched.
 */
export function verifySignature(options: VerifyOptions): { timestamp: number } {
  const { payload, header, secrets } = options;
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (!header) throw new WebhookSignatureError('missing_header', 'Payday-Signature header is missing');
  let timestamp: number | undefined;
  const candidates: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d+$/.test(value)) timestamp = Number(value);
    // Unknown schemes (a future v2) are ignored, as Stripe's SDKs do.
    if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) candidates.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || candidates.length === 0) {
    throw new WebhookSignatureError(
      'malformed_header',
      'Payday-Signature needs t=<unix> and at least one v1=<hex>',
    );
  }
  if (Math.abs(now - timestamp) > tolerance) {
    throw new WebhookSignatureError(
      'timestamp_out_of_tolerance',
      `signature timestamp ${timestamp} is more than ${tolerance}s away from now (${now})`,
    );
  }
  for (const secret of secrets) {
    const expected = Buffer.from(computeSignature(secret, timestamp, payload), 'hex');
    // Check every candidate without an early exit on the first byte that differs.
    if (candidates.some((c) => timingSafeEqual(c, expected))) return { timestamp };
  }
  throw new WebhookSignatureError('no_match', 'no v1 signature matches any of the endpoint secrets');
}
