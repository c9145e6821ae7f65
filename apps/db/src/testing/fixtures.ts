import { createDatabase, type Database } from '../client.js';
import { merchants } from '../schema/merchants.js';
import { payments } from '../schema/payments.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/** A fresh migrated database with a drizzle handle; `cleanup()` closes and drops it. */
export async function openTestDatabase(): Promise<
  Database & { test: TestDatabase; cleanup(): Promise<void> }
> {
  const test = await createTestDatabase();
  const database = createDatabase(test.url, { max: 20 });
  return {
    ...database,
    test,
    async cleanup() {
      await database.close();
      await test.drop();
    },
  };
}

export async function insertMerchant(database: Database, name = 'Test merchant'): Promise<string> {
  const [m] = await database.db.insert(merchants).values({ name }).returning({ id: merchants.id });
  return m!.id;
}

/** A pending payment inserted directly (the API's own path is tested in apps/api). */
export async function insertPayment(
  database: Database,
  merchantId: string,
  amount: number,
  currency = 'usd',
): Promise<string> {
  const [p] = await database.db
    .insert(payments)
    .values({ merchantId, amount, currency, paymentMethod: 'pm_card_visa' })
    .returning({ id: payments.id });
  return p!.id;
}

export { createTestDatabase, type TestDatabase } from './database.js';
export { freePort } from './free-port.js';
