/**
 * `payout.settle` {date}: the daily settlement batch. For each merchant and currency, in its own
 * transaction:
 *  1. settle: move the `merchant_pending` balance to `merchant_available`;
 *  2. pay out: move the whole `merchant_available` balance to `payouts_in_transit` and record a
 *     `payouts` row for (merchant, currency, date), emitting `payout.created`.
 * Both postings are balanced ledger transactions with idempotency keys.
 *
 * Exactly once per merchant and day, even with several workers running the same job (a duplicate
 * enqueue, a lease that expired mid-run): a transaction-scoped advisory lock per (merchant,
 * currency) serialises them, the second finds the day's payout row and does nothing, and the
 * unique constraint `payouts_merchant_currency_date_key` backs that up in the database.
 * A crash part-way leaves finished merchants finished; the retry does the rest.
 */
import {
  accountBalances,
  type Currency,
  type Executor,
  emitEvent,
  payoutObject,
  postLedgerTransaction,
} from '@payday/db';
import * as schema from '@payday/db/schema';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineHandler, type JobContext } from '../runner/handler.js';

export const payoutSettlePayload = z.strictObject({ date: z.iso.date() });

export interface SettlementResult {
  merchantId: string;
  currency: string;
  settled: number;
  payoutId?: string;
  payoutAmount: number;
}

export const payoutSettleHandler = defineHandler({
  type: 'payout.settle',
  payload: payoutSettlePayload,
  backoff: { baseMs: 30_000, capMs: 30 * 60_000, jitter: 0.2 },
  async run({ date }, ctx) {
    const results = await settleDay(ctx, date);
    const paid = results.filter((r) => r.payoutId);
    ctx.log.info(
      {
        date,
        merchants: results.length,
        payouts: paid.length,
        amount: paid.reduce((s, r) => s + r.payoutAmount, 0),
      },
      'settlement finished',
    );
  },
});

export async function settleDay(
  ctx: Pick<JobContext, 'database' | 'log'>,
  date: string,
): Promise<SettlementResult[]> {
  const { db } = ctx.database;
  const pairs = await db
    .selectDistinct({
      merchantId: schema.ledgerAccounts.merchantId,
      currency: schema.ledgerAccounts.currency,
    })
    .from(schema.ledgerAccounts)
    .where(inArray(schema.ledgerAccounts.kind, ['merchant_pending', 'merchant_available']))
    .orderBy(schema.ledgerAccounts.merchantId, schema.ledgerAccounts.currency);
  const results: SettlementResult[] = [];
  for (const { merchantId, currency } of pairs) {
    results.push(await db.transaction((tx) => settleOne(tx, merchantId, currency as Currency, date)));
  }
  return results;
}

async function settleOne(
  tx: Executor,
  merchantId: string,
  currency: Currency,
  date: string,
): Promise<SettlementResult> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`payout:${merchantId}:${currency}`}, 0))`,
  );
  const result: SettlementResult = { merchantId, currency, settled: 0, payoutAmount: 0 };
  const [existing] = await tx
    .select({ id: schema.payouts.id })
    .from(schema.payouts)
    .where(
      and(
        eq(schema.payouts.merchantId, merchantId),
        eq(schema.payouts.currency, currency),
        eq(schema.payouts.settlementDate, date),
      ),
    );
  if (existing) return result;
  const balances = (await accountBalances(tx, merchantId)).filter((b) => b.currency === currency);
  const pending = balances.find((b) => b.kind === 'merchant_pending')?.balance ?? 0;
  const available = balances.find((b) => b.kind === 'merchant_available')?.balance ?? 0;
  if (pending > 0) {
    await postLedgerTransaction(tx, {
      merchantId,
      key: `settlement:${merchantId}:${currency}:${date}`,
      description: `settlement of ${date}`,
      legs: [
        { account: 'merchant_pending', currency, direction: 'debit', amount: pending },
        { account: 'merchant_available', currency, direction: 'credit', amount: pending },
      ],
    });
    result.settled = pending;
  }
  const payable = available + Math.max(pending, 0);
  // A negative or zero balance (refunds exceeded captures) is carried over, not paid out.
  if (payable <= 0) return result;
  const [payout] = await tx
    .insert(schema.payouts)
    .values({ merchantId, currency, amount: payable, settlementDate: date })
    .returning();
  await postLedgerTransaction(tx, {
    merchantId,
    key: `payout:${payout!.id}`,
    description: `payout of ${date}`,
    payoutId: payout!.id,
    legs: [
      { account: 'merchant_available', currency, direction: 'debit', amount: payable },
      { account: 'payouts_in_transit', currency, direction: 'credit', amount: payable },
    ],
  });
  await emitEvent(tx, {
    merchantId,
    type: 'payout.created',
    objectId: payout!.id,
    // The same shape GET /v1/payouts/{id} answers with.
    data: { object: payoutObject(payout!) },
  });
  return { ...result, payoutId: payout!.id, payoutAmount: payable };
}
