import { randomFillSync } from 'node:crypto';

/**
 * Lower-case Crockford base32. Its characters are in ASCII order, so ids compare by creation
 * time under the byte-wise "C" collation that every id column uses (see `schema/columns.ts`).
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Random bytes for ids, drawn from the CSPRNG 4 KiB at a time and each used once: one
 * `randomBytes(16)` per id costs a Buffer and a call into OpenSSL, about 3% of a payment
 * creation's CPU time in the API's profile (bench/README.md, "API: where the time goes").
 * Node's own `crypto.randomUUID` keeps a cache of random data for the same reason.
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

/** 16 random base32 characters (80 bits), from the next 16 unused bytes of the pool. */
function randomChars(): string {
  if (poolOffset + 16 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  let chars = '';
  for (let i = poolOffset; i < poolOffset + 16; i++) chars += ALPHABET[pool[i]! & 31];
  poolOffset += 16;
  return chars;
}

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
  return `${prefix}_${time}${randomChars()}`;
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
