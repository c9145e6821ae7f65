import { accountBalances, type Currency, type Executor } from '@payday/db';
import { sql } from 'drizzle-orm';

/** `GET /v1/balance`: available and pending per currency, summed from the ledger's entries. */
export async function getBalance(db: Executor, merchantId: string) {
  const rows = await accountBalances(db, merchantId);
  const pick = (kind: string) =>
    rows.filter((r) => r.kind === kind).map((r) => ({ currency: r.currency as Currency, amount: r.balance }));
  return {
    object: 'balance' as const,
    available: pick('merchant_available'),
    pending: pick('merchant_pending'),
  };
}

/** `GET /v1/reports/volume`: succeeded payments per UTC day and currency, the last `days` days. */
export async function volumeReport(db: Executor, merchantId: string, days: number) {
  const rows = await db.execute<{
    date: string;
    currency: Currency;
    amount: string;
    count: number;
  }>(sql`
        select to_char(date_trunc('day', created_at at time zone 'UTC'), 'YYYY-MM-DD') as date,
               currency, sum(amount)::text as amount, count(*)::int as count
          from payments
         where merchant_id = ${merchantId}
           and status = 'succeeded'
           and created_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'
                             - make_interval(days => ${days - 1})
         group by 1, 2
         order by 1, 2`);
  return {
    object: 'volume_report' as const,
    days,
    data: rows.map((r) => ({
      date: r.date,
      currency: r.currency,
      amount: Number(r.amount),
      count: r.count,
    })),
  };
}
