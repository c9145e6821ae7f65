import { createHash, hash, randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function randomToken(chars: number): string {
  let out = '';
  for (const b of randomBytes(chars)) out += ALPHABET[b & 31];
  return out;
}

/** Length of the stored, non-secret key prefix: `sk_test_` + 8 characters (40 bits). */
export const API_KEY_PREFIX_LENGTH = 16;

/**
 * A new secret API key: `sk_test_` + 40 base32 characters (200 random bits). Only the prefix
 * (for lookup and display) and the SHA-256 hash are stored. A slow password hash buys nothing
 * for 200-bit random secrets, and SHA-256 keeps every request's check cheap.
 */
export function generateApiKey(): { secret: string; prefix: string; hash: Buffer } {
  const secret = `sk_test_${randomToken(40)}`;
  return { secret, prefix: secret.slice(0, API_KEY_PREFIX_LENGTH), hash: sha256(secret) };
}

/** A dashboard session token (`dst_…`, 200 random bits); stored only as its SHA-256. */
export function generateSessionToken(): { token: string; hash: Buffer } {
  const token = `dst_${randomToken(40)}`;
  return { token, hash: sha256(token) };
}

/** A webhook signing secret, shown once and used by the worker for HMAC-SHA256. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * The same digest as hex, with Node's one-shot `crypto.hash` (no Hash object per call): the
 * credential cache key computed on every authenticated request.
 */
export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}

/** Constant-time comparison of two hashes (equal length by construction). */
export function hashesEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A credential as it may appear in logs: its prefix only. */
export function redactCredential(token: string): string {
  return `${token.slice(0, API_KEY_PREFIX_LENGTH)}…`;
}
