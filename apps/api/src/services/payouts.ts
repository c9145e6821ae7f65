/**
 * Payouts: the daily settlement batches that moved a merchant's available balance out (written
 * by the worker's `payout.settle`, see apps/worker/README.md "Settlement"). Read-only here.
 */
import { type Currency, type Executor, payoutObject } from '@payday/db';
import { payouts } from '@payday/db/schema';
import { and, eq } from 'drizzle-orm';
import { notFound } from '../errors.js';
import { type PageQuery, paginate } from './pagination.js';

export function listPayouts(
  db: Executor,
  merchantId: string,
  query: PageQuery & { currency?: Currency | undefined },
) {
  return paginate(
    query,
    '/v1/payouts',
    payouts.id,
    and(
      eq(payouts.merchantId, merchantId),
      query.currency ? eq(payouts.currency, query.currency) : undefined,
    ),
    (where, orderBy, limit) => db.select().from(payouts).where(where).orderBy(orderBy).limit(limit),
    payoutObject,
  );
}

export async function getPayout(db: Executor, merchantId: string, id: string) {
  const [row] = await db
    .select()
    .from(payouts)
    .where(and(eq(payouts.id, id), eq(payouts.merchantId, merchantId)));
  if (!row) throw notFound('payout', id);
  return payoutObject(row);
}
