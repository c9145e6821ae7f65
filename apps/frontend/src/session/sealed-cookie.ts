/**
 * Authenticated encryption for the session cookie (AES-256-GCM, NIST SP 800-38D). The cookie
 * carries the API's dashboard token, so it must be unreadable and unforgeable in the browser;
 * sealing it (rather than keeping sessions in memory) lets any replica, blue or green, serve any
 * request. Keys are derived with HKDF (RFC 5869) from `SESSION_SECRET`; extra secrets are
 * accepted for opening only, so the secret can be rotated without signing everyone out.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const INFO = 'payday-frontend session cookie v1';

export interface Sealer {
  seal(value: unknown): string;
  /** The sealed value, or `undefined` when it was tampered with, truncated or sealed with an unknown key. */
  open(sealed: string): unknown;
}

function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), INFO, 32));
}

/** `secrets[0]` seals; every secret opens. */
export function createSealer(secrets: readonly string[]): Sealer {
  if (secrets.length === 0) throw new Error('createSealer: at least one secret is required');
  const keys = secrets.map(deriveKey);
  return {
    seal(value) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keys[0]!, iv);
      cipher.setAAD(Buffer.from(VERSION));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return `${VERSION}.${Buffer.concat([iv, tag, body]).toString('base64url')}`;
    },
    open(sealed) {
      const [version, payload] = sealed.split('.', 2);
      if (version !== VERSION || !payload) return undefined;
      const raw = Buffer.from(payload, 'base64url');
      if (raw.length < 12 + 16 + 1) return undefined;
      const iv = raw.subarray(0, 12);
      const tag = raw.subarray(12, 28);
      const body = raw.subarray(28);
      for (const key of keys) {
        try {
          const decipher = createDecipheriv('aes-256-gcm', key, iv);
          decipher.setAAD(Buffer.from(VERSION));
          decipher.setAuthTag(tag);
          const text = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
          return JSON.parse(text) as unknown;
        } catch {
          // Wrong key or tampered: try the next key, then give up.
        }
      }
      return undefined;
    },
  };
}
