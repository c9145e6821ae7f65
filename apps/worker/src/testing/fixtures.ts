/** Test helpers for the worker: a real migrated database, merchants, payments and a silent logger. */
import { type Database, enqueue } from '@payday/db';
import * as schema from '@payday/db/schema';
import { openTestDatabase } from '@payday/db/testing';
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';

export const silentLog = pino({ level: 'silent' });

export type WorkerTestDatabase = Awaited<ReturnType<typeof openTestDatabase>>;

/** One migrated database for the test file (`current.test.url` for child processes). */
export function useTestDatabase(): { readonly current: WorkerTestDatabase } {
  const holder: { current?: WorkerTestDatabase } = {};
  beforeAll(async () => {
    holder.current = await openTestDatabase();
  });
  afterAll(async () => {
    await holder.current?.cleanup();
  });
  return holder as { readonly current: WorkerTestDatabase };
}

export async function createMerchant(database: Database, name = 'Test merchant'): Promise<string> {
  const [m] = await database.db
    .insert(schema.merchants)
    .values({ name })
    .returning({ id: schema.merchants.id });
  return m!.id;
}

/** A pending payment and its `payment.process` job, as the API creates them. */
export async function createPendingPayment(
  database: Database,
  merchantId: string,
  options: { amount?: number; currency?: string; paymentMethod?: string; runAt?: Date } = {},
): Promise<{ paymentId: string; jobId: number }> {
  return database.db.transaction(async (tx) => {
    const [p] = await tx
      .insert(schema.payments)
      .values({
        merchantId,
        amount: options.amount ?? 1000,
        currency: options.currency ?? 'usd',
        paymentMethod: options.paymentMethod ?? 'pm_card_visa',
      })
      .returning({ id: schema.payments.id });
    const job = await enqueue(tx, {
      type: 'payment.process',
      payload: { payment_id: p!.id },
      ...(options.runAt ? { runAt: options.runAt } : {}),
    });
    return { paymentId: p!.id, jobId: job!.id };
  });
}

/** Job rows by id, for assertions. */
export async function jobRow(database: Database, id: number) {
  const [row] = await database.sql`
    select id, type, status, attempts, max_attempts, last_error, locked_by, run_at from jobs where id = ${id}`;
  return row!;
}

/** Σ debits − Σ credits per ledger transaction and currency: every row must be 0. */
export async function unbalancedTransactions(database: Database): Promise<unknown[]> {
  return [
    ...(await database.sql`
    select transaction_id, currency,
           sum(case when direction = 'debit' then amount else -amount end)::bigint as net
      from ledger_entries group by transaction_id, currency
    having sum(case when direction = 'debit' then amount else -amount end) <> 0`),
  ];
}
