import type { Database } from '@payday/db';
import { dashboardUsers, merchants } from '@payday/db/schema';
import { hashPassword } from '../auth/password.js';
import { insertApiKey } from './api-keys.js';

export interface CreatedMerchant {
  merchantId: string;
  name: string;
  apiKey: { id: string; secret: string; prefix: string };
  dashboardUser?: { id: string; email: string };
}

/**
 * Onboards a merchant: the merchant, its first secret API key (returned once, stored hashed)
 * and optionally a dashboard user, in one transaction.
 */
export async function createMerchant(
  database: Database,
  input: { name: string; email?: string | undefined; password?: string | undefined },
): Promise<CreatedMerchant> {
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return database.db.transaction(async (tx) => {
    const [merchant] = await tx.insert(merchants).values({ name: input.name }).returning();
    const key = await insertApiKey(tx, merchant!.id, 'default');
    const result: CreatedMerchant = {
      merchantId: merchant!.id,
      name: merchant!.name,
      apiKey: { id: key.row.id, secret: key.secret, prefix: key.row.prefix },
    };
    if (input.email && passwordHash) {
      const [user] = await tx
        .insert(dashboardUsers)
        .values({ merchantId: merchant!.id, email: input.email.toLowerCase(), passwordHash })
        .returning();
      result.dashboardUser = { id: user!.id, email: user!.email };
    }
    return result;
  });
}
