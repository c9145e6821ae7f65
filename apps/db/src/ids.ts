import { randomBytes } from 'node:crypto';

/**
 * Lower-case Crockford base32. Its characters are in ASCII order, so ids compare by creation
 * time under the byte-wise "C" collation that every id column uses (see `schema/columns.ts`).
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A Stripe-style public id: `<prefix>_<10 chars of millisecond time><16 random chars>`.
 * Time first makes ids roughly creation-ordered, which is what cursor pagination sorts by
 * (newest first, docs.stripe.com/api/pagination); 80 random bits keep them unguessable.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (const b of bytes) rand += ALPHABET[b & 31];
  return `${prefix}_${time}${rand}`;
}

/** Prefixes of every public id, in one place so the API can validate path parameters. */
export const ID_PREFIX = {
  merchant: 'acct',
  apiKey: 'key',
  payment: 'pay',
  refund: 're',
  event: 'evt',
  webhookEndpoint: 'we',
  webhookDelivery: 'wdl',
  ledgerTransaction: 'ltx',
  ledgerAccount: 'la',
  payout: 'po',
  dashboardUser: 'usr',
  dashboardSession: 'dss',
} as const;
