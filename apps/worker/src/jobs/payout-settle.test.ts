import { accountBalances, createDatabase, type Database, enqueue } from '@payday/db';
import * as schema from '@payday/db/schema';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { JobRunner } from '../runner/runner.js';
import {
  createMerchant,
  createPendingPayment,
  jobRow,
  silentLog,
  unbalancedTransactions,
  useTestDatabase,
} from '../testing/fixtures.js';
import { paymentProcessHandler } from './payment-process.js';
import { payoutSettleHandler } from './payout-settle.js';

const db = useTestDatabase();

function runner(database: Database = db.current, workerId = 'w1') {
  return new JobRunner({
    database,
    handlers: [paymentProcessHandler, payoutSettleHandler],
    workerId,
    concurrency: 4,
    batchSize: 4,
    pollIntervalMs: 20,
    leaseMs: 30_000,
    log: silentLog,
  });
}

async function capture(merchantId: string, amounts: number[], currency = 'usd') {
  for (const amount of amounts) await createPendingPayment(db.current, merchantId, { amount, currency });
  while ((await runner().runOnce()) > 0) {}
}

const payoutsOf = (merchantId: string) =>
  db.current.db.select().from(schema.payouts).where(eq(schema.payouts.merchantId, merchantId));

const balance = async (merchantId: string, currency: string, kind: string) =>
  (await accountBalances(db.current.db, merchantId)).find((b) => b.currency === currency && b.kind === kind)
    ?.balance ?? 0;

describe('payout.settle', () => {
  it('pays out each merchant exactly once per day with two concurrent workers, ledger balanced', async () => {
    const a = await createMerchant(db.current, 'A');
    const b = await createMerchant(db.current, 'B');
    await capture(a, [1000, 2500]);
    await capture(a, [700], 'eur');
    await capture(b, [4200]);

    // Two settle jobs for the same day (a duplicate enqueue without the unique key), two workers
    // with their own connection pools, all at once.
    const first = await enqueue(db.current.db, {
      type: 'payout.settle',
      payload: { date: '2026-11-20' },
      uniqueKey: 'payout.settle:2026-11-20',
    });
    const dup = await enqueue(db.current.db, { type: 'payout.settle', payload: { date: '2026-11-20' } });
    const other = createDatabase(db.current.test.url, { max: 4 });
    try {
      await Promise.all([runner(db.current, 'w1').runOnce(), runner(other, 'w2').runOnce()]);
    } finally {
      await other.close();
    }
    expect((await jobRow(db.current, first!.id)).status).toBe('completed');
    expect((await jobRow(db.current, dup!.id)).status).toBe('completed');

    const pa = (await payoutsOf(a)).map((p) => [p.currency, p.amount, p.settlementDate]).sort();
    expect(pa).toEqual([
      ['eur', 700, '2026-11-20'],
      ['usd', 3500, '2026-11-20'],
    ]);
    expect((await payoutsOf(b)).map((p) => p.amount)).toEqual([4200]);
    expect(await unbalancedTransactions(db.current)).toEqual([]);
    expect(await balance(a, 'usd', 'merchant_pending')).toBe(0);
    expect(await balance(a, 'usd', 'merchant_available')).toBe(0);
    expect(await balance(a, 'usd', 'payouts_in_transit')).toBe(3500);
    // Globally every currency nets to zero (Σ debits = Σ credits).
    const net = await db.current.sql`
      select currency, sum(case when direction = 'debit' then amount else -amount end)::int as net
        from ledger_entries group by currency order by currency`;
    expect(net).toEqual([
      { currency: 'eur', net: 0 },
      { currency: 'usd', net: 0 },
    ]);
    const events = await db.current.sql`select count(*)::int as n from events where type = 'payout.created'`;
    expect(events[0]!.n).toBe(3);
  });

  it('settles the next day only what is new, and skips empty balances', async () => {
    const c = await createMerchant(db.current, 'C');
    await capture(c, [900]);
    await enqueue(db.current.db, { type: 'payout.settle', payload: { date: '2026-11-18' } });
    await runner().runOnce();
    await enqueue(db.current.db, { type: 'payout.settle', payload: { date: '2026-11-19' } });
    await runner().runOnce();
    await capture(c, [100]);
    await enqueue(db.current.db, { type: 'payout.settle', payload: { date: '2026-11-21' } });
    await runner().runOnce();
    const rows = (await payoutsOf(c)).map((p) => [p.settlementDate, p.amount]).sort();
    expect(rows).toEqual([
      ['2026-11-18', 900],
      ['2026-11-21', 100],
    ]);
    expect(await unbalancedTransactions(db.current)).toEqual([]);
  });

  it('rejects a malformed date', async () => {
    const job = await enqueue(db.current.db, { type: 'payout.settle', payload: { date: '20/11/2026' } });
    await runner().runOnce();
    expect(await jobRow(db.current, job!.id)).toMatchObject({
      status: 'dead',
      last_error: 'malformed payload: date: Invalid ISO date',
    });
  });
});
