import { paymentObject } from '@payday/db';
import { payments } from '@payday/db/schema';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../testing/harness.js';

describe('payments', () => {
  let api: TestApi;
  let key: string;
  beforeAll(async () => {
    api = await createTestApi();
    key = (await api.merchant()).apiKey.secret;
  });
  afterAll(async () => api.close());

  it('creates a pending payment with its event and processing job, in one transaction', async () => {
    const res = await api.json('POST', '/v1/payments', {
      token: key,
      body: {
        amount: 2500,
        currency: 'usd',
        description: 'Order 17',
        metadata: { order: '17' },
        customer_reference: 'cus_9',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      object: 'payment',
      amount: 2500,
      currency: 'usd',
      status: 'pending',
      failure_code: null,
      description: 'Order 17',
      metadata: { order: '17' },
      customer_reference: 'cus_9',
      payment_method: 'pm_card_visa',
      amount_captured: 0,
      amount_refunded: 0,
      amount_refundable: 0,
    });
    expect(res.body.id).toMatch(/^pay_/);
    const [job] = await api.database
      .sql`select type, payload, status from jobs where payload->>'payment_id' = ${res.body.id}`;
    expect(job).toEqual({ type: 'payment.process', payload: { payment_id: res.body.id }, status: 'queued' });
    const [event] = await api.database.sql`select type from events where object_id = ${res.body.id}`;
    expect(event?.type).toBe('payment.created');
    const got = await api.json('GET', `/v1/payments/${res.body.id}`, { token: key });
    expect(got.body).toEqual(res.body);
  });

  it('shows the outcome and the refundable amount once the worker has processed it', async () => {
    const { body } = await api.json('POST', '/v1/payments', {
      token: key,
      body: { amount: 1000, currency: 'eur' },
    });
    await api.settle(body.id);
    const got = await api.json('GET', `/v1/payments/${body.id}`, { token: key });
    expect(got.body).toMatchObject({ status: 'succeeded', amount_captured: 1000, amount_refundable: 1000 });
    const timeline = await api.json('GET', `/v1/payments/${body.id}/events`, { token: key });
    expect(timeline.body.data.map((e: { type: string }) => e.type)).toEqual([
      'payment.succeeded',
      'payment.created',
    ]);
  });

  it('retrieves exactly what paymentObject makes of the row, created_at to the millisecond, cut not rounded', async () => {
    const merchant = await api.merchant('Times');
    const token = merchant.apiKey.secret;
    const owner = merchant.merchantId;
    // Written in other zones and at sub-millisecond precision: the API answers in UTC.
    const times: [string, string][] = [
      ['2026-01-01 00:00:00+00', '2026-01-01T00:00:00.000Z'],
      ['2026-12-31 23:59:59.999999+00', '2026-12-31T23:59:59.999Z'],
      ['2024-02-29 12:34:56.0005+00', '2024-02-29T12:34:56.000Z'],
      ['2000-01-01 04:59:59.9999+05', '1999-12-31T23:59:59.999Z'],
      ['1999-12-31 19:00:00.001-05', '2000-01-01T00:00:00.001Z'],
    ];
    for (const [i, [at, iso]] of times.entries()) {
      const id = `pay_time${i}`;
      await api.database.sql`
        insert into payments (id, merchant_id, amount, currency, payment_method, metadata, description,
                              amount_captured, amount_refunded, failure_code, created_at)
        values (${id}, ${owner}, ${9007199254740991 - i}, 'usd', 'pm_card_visa', ${JSON.stringify({ k: `v${i}` })}::jsonb,
                ${i % 2 ? null : 'd'}, ${i}, 0, ${i % 2 ? 'card_declined' : null}, ${at})`;
      const [row] = await api.database.db.select().from(payments).where(eq(payments.id, id));
      const got = await api.json('GET', `/v1/payments/${id}`, { token });
      expect(got.status).toBe(200);
      expect(got.body).toEqual(paymentObject(row!));
      expect(got.body.created_at).toBe(iso);
    }
    // Another merchant's key finds none of them.
    const other = await api.json('GET', '/v1/payments/pay_time0', { token: key });
    expect(other.status).toBe(404);
  });
});
