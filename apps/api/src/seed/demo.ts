import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { type Currency, completePayment, type Database, TEST_PAYMENT_METHODS } from '@payday/db';
import { apiKeys, events, merchants, payments } from '@payday/db/schema';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { sha256 } from '../auth/tokens.js';
import { createMerchant } from '../services/merchants.js';
import { createPayment } from '../services/payments.js';
import { createRefund } from '../services/refunds.js';

export interface DemoCredentials {
  merchant_id: string;
  merchant_name: string;
  api_key: string;
  email: string;
  password: string;
}

export const DEMO_MERCHANT = 'Demo Coffee Roasters';
export const DEMO_EMAIL = 'demo@payday.test';

/**
 * The demo merchant of `npm start`: created once with a month of history, its credentials kept
 * in a git-ignored file (the key is stored hashed in the database, so this file is the only
 * place it can be shown again on the next start). Returns what to print.
 */
export async function ensureDemo(
  database: Database,
  credentialsFile: string,
  log: (line: string) => void = () => {},
): Promise<DemoCredentials & { seeded: boolean }> {
  const saved = await readFile(credentialsFile, 'utf8').then(
    (text) => JSON.parse(text) as DemoCredentials,
    () => undefined,
  );
  if (saved && (await keyStillWorks(database, saved))) return { ...saved, seeded: false };

  log('seeding the demo merchant with a month of payment history');
  const password = randomBytes(9).toString('base64url');
  const [existingUser] = await database.sql`select 1 from dashboard_users where lower(email) = ${DEMO_EMAIL}`;
  const email = existingUser ? `demo+${randomBytes(3).toString('hex')}@payday.test` : DEMO_EMAIL;
  const created = await createMerchant(database, { name: DEMO_MERCHANT, email, password });
  await seedHistory(database, created.merchantId);
  const credentials: DemoCredentials = {
    merchant_id: created.merchantId,
    merchant_name: created.name,
    api_key: created.apiKey.secret,
    email,
    password,
  };
  await writeFile(credentialsFile, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return { ...credentials, seeded: true };
}

async function keyStillWorks(database: Database, saved: DemoCredentials): Promise<boolean> {
  const [row] = await database.db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .innerJoin(merchants, eq(merchants.id, apiKeys.merchantId))
    .where(
      and(
        eq(apiKeys.keyHash, sha256(saved.api_key)),
        isNull(apiKeys.revokedAt),
        eq(merchants.id, saved.merchant_id),
      ),
    );
  return Boolean(row);
}

/** Deterministic pseudo-random history (mulberry32), so every fresh start looks the same. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * ~60 payments spread over the last 30 days (oldest first, so ids follow time), most
 * succeeded, some declined, a few refunded; the newest three stay pending for the worker.
 */
export async function seedHistory(database: Database, merchantId: string, count = 60): Promise<void> {
  const random = prng(42);
  const now = Date.now();
  const descriptions = [
    'Espresso beans 1 kg',
    'Filter subscription',
    'Gift card',
    'Cold brew kit',
    'Tasting flight',
  ];
  await database.db.transaction(async (tx) => {
    for (let i = 0; i < count; i++) {
      const createdAt = new Date(
        now - (count - i) * ((30 * 86_400_000) / count) + Math.floor(random() * 3_600_000),
      );
      const currency: Currency = random() < 0.8 ? 'usd' : 'eur';
      const declined = random() < 0.12;
      const method = declined ? 'pm_card_chargeDeclined' : 'pm_card_visa';
      const payment = await createPayment(
        tx,
        merchantId,
        {
          amount: 500 + Math.floor(random() * 120) * 100,
          currency,
          description: descriptions[Math.floor(random() * descriptions.length)],
          payment_method: method,
          customer_reference: `cus_${1000 + Math.floor(random() * 40)}`,
        },
        undefined,
        null,
      );
      await tx.update(payments).set({ createdAt, updatedAt: createdAt }).where(eq(payments.id, payment.id));
      if (i >= count - 3) continue; // left for the worker to process
      const outcome = TEST_PAYMENT_METHODS[method];
      await completePayment(
        tx,
        payment.id,
        outcome.outcome === 'failed'
          ? { status: 'failed', failureCode: outcome.failureCode }
          : { status: 'succeeded' },
      );
      if (!declined && random() < 0.12) {
        await createRefund(
          tx,
          merchantId,
          { payment: payment.id, amount: Math.max(100, Math.floor(payment.amount / 2)) },
          null,
        );
      }
      await tx
        .update(events)
        .set({ createdAt: sql`${createdAt.toISOString()}::timestamptz + interval '2 seconds'` })
        .where(eq(events.objectId, payment.id));
    }
  });
}
