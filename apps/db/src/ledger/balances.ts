import { sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import type { LedgerAccountKind } from './accounts.js';

export interface AccountBalance {
  currency: string;
  kind: LedgerAccountKind;
  /** In the account's normal direction: credits - debits for credit-normal accounts. */
  balance: number;
}

/**
 * Balances of a merchant's accounts, summed from the entries (the entries are the truth; no
 * cached balance can drift from them).
 */
export async function accountBalances(tx: Executor, merchantId: string): Promise<AccountBalance[]> {
  const rows = await tx.execute<{ currency: string; kind: LedgerAccountKind; balance: string }>(sql`
    select a.currency, a.kind,
           coalesce(sum(case when e.direction = a.normal_balance then e.amount else -e.amount end), 0)::text
             as balance
      from ledger_accounts a
      left join ledger_entries e on e.account_id = a.id
     where a.merchant_id = ${merchantId}
     group by a.currency, a.kind
     order by a.currency, a.kind`);
  return rows.map((r) => ({ currency: r.currency, kind: r.kind, balance: toSafeNumber(r.balance) }));
}

/** bigint sums arrive as strings; amounts stay far below 2^53, and we refuse to round silently. */
export function toSafeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`ledger amount ${value} exceeds 2^53`);
  return n;
}
