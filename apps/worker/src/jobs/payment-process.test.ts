import * as schema from '@payday/db/schema';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
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

const db = useTestDatabase();
const T0 = new Date('2026-11-21T06:00:00.000Z');

function runner(clock = new ManualClock(T0)) {
  return new JobRunner({
    database: db.current,
    handlers: [paymentProcessHandler],
    workerId: 'w',
    concurrency: 10,
    batchSize: 10,
    pollIntervalMs: 20,
    leaseMs: 30_000,
    log: silentLog,
    clock,
    random: () => 0.5,
  });
}

const payment = async (id: string) =>
  (await db.current.db.select().from(schema.payments).where(eq(schema.payments.id, id)))[0]!;
const events = async (objectId: string) =>
  (await db.current.db.select().from(schema.events).where(eq(schema.events.objectId, objectId))).map(
    (e) => e.type,
  );
const ledger = async (paymentId: string) =>
  db.current.db
    .select()
    .from(schema.ledgerTransactions)
    .where(eq(schema.ledgerTransactions.paymentId, paymentId));

describe('payment.process', () => {
  it('captures an approved payment with a balanced ledger transaction and a payment.succeeded event', async () => {
    const merchant = await createMerchant(db.current);
    await db.current.db
      .insert(schema.webhookEndpoints)
      .values({ merchantId: merchant, url: 'https://example.com/h', secret: 'whsec_x' });
    const { paymentId, jobId } = await createPendingPayment(db.current, merchant, {
      amount: 2500,
      runAt: T0,
    });
    expect(await runner().runOnce()).toBe(1);
    expect(await payment(paymentId)).toMatchObject({
      status: 'succeeded',
      amountCaptured: 2500,
      failureCode: null,
    });
    expect((await jobRow(db.current, jobId)).status).toBe('completed');
    expect(await events(paymentId)).toEqual(['payment.succeeded']);
    expect(await ledger(paymentId)).toHaveLength(1);
    expect(await unbalancedTransactions(db.current)).toEqual([]);
    // The event fans out to the merchant's endpoint in the same transaction.
    const [hook] = await db.current.sql`select payload from jobs where type = 'webhook.deliver'`;
    expect(hook!.payload).toMatchObject({
      endpoint_id: expect.stringMatching(/^we_/),
      event_id: expect.stringMatching(/^evt_/),
    });
  });

  it('fails a declined payment with its reason and posts nothing', async () => {
    const merchant = await createMerchant(db.current);
    const { paymentId } = await createPendingPayment(db.current, merchant, {
      paymentMethod: 'pm_card_insufficientFunds',
      runAt: T0,
    });
    await runner().runOnce();
    expect(await payment(paymentId)).toMatchObject({
      status: 'failed',
      failureCode: 'insufficient_funds',
      amountCaptured: 0,
    });
    expect(await events(paymentId)).toEqual(['payment.failed']);
    expect(await ledger(paymentId)).toHaveLength(0);
  });

  it('retries a processor timeout after backoff, then succeeds', async () => {
    const merchant = await createMerchant(db.current);
    const clock = new ManualClock(T0);
    const { paymentId, jobId } = await createPendingPayment(db.current, merchant, {
      paymentMethod: 'pm_card_processingErrorOnce',
      runAt: T0,
    });
    const r = runner(clock);
    await r.runOnce();
    expect(await payment(paymentId)).toMatchObject({ status: 'pending' });
    expect(await jobRow(db.current, jobId)).toMatchObject({
      status: 'queued',
      attempts: 1,
      last_error: 'processor timeout',
    });
    expect(await events(paymentId)).toEqual([]);
    clock.advance(2000);
    await r.runOnce();
    expect(await payment(paymentId)).toMatchObject({ status: 'succeeded' });
    expect((await jobRow(db.current, jobId)).status).toBe('completed');
  });

  it('a duplicate job changes nothing (no double capture)', async () => {
    const merchant = await createMerchant(db.current);
    const { paymentId } = await createPendingPayment(db.current, merchant, { runAt: T0 });
    await db.current
      .sql`insert into jobs (type, payload, run_at) values ('payment.process', ${JSON.stringify({ payment_id: paymentId })}::jsonb, ${T0.toISOString()})`;
    const r = runner();
    await r.runOnce();
    await r.runOnce();
    expect(await ledger(paymentId)).toHaveLength(1);
    expect(await events(paymentId)).toEqual(['payment.succeeded']);
    const statuses = await db.current
      .sql`select status from jobs where payload->>'payment_id' = ${paymentId}`;
    expect(statuses.map((s) => s.status)).toEqual(['completed', 'completed']);
  });

  it('dead-letters a job for a payment that does not exist', async () => {
    const [job] = await db.current.sql`
      insert into jobs (type, payload, run_at) values ('payment.process', '{"payment_id":"pay_doesnotexist0"}', ${T0.toISOString()}) returning id`;
    await runner().runOnce();
    expect(await jobRow(db.current, Number(job!.id))).toMatchObject({
      status: 'dead',
      last_error: 'payment pay_doesnotexist0 does not exist',
    });
  });
});
