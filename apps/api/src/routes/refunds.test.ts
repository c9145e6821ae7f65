import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../testing/harness.js';

describe('refunds', () => {
  let api: TestApi;
  let key: string;
  beforeAll(async () => {
    api = await createTestApi();
    key = (await api.merchant()).apiKey.secret;
  });
  afterAll(async () => api.close());

  async function paid(amount: number, currency = 'usd'): Promise<string> {
    const { body } = await api.json('POST', '/v1/payments', { token: key, body: { amount, currency } });
    await api.settle(body.id);
    return body.id;
  }

  it('refunds partially, then the rest by default, and shows what remains refundable', async () => {
    const payment = await paid(1000);
    const first = await api.json('POST', '/v1/refunds', {
      token: key,
      body: { payment, amount: 300, reason: 'requested_by_customer' },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      object: 'refund',
      payment,
      amount: 300,
      currency: 'usd',
      status: 'succeeded',
      reason: 'requested_by_customer',
    });
    expect((await api.json('GET', `/v1/payments/${payment}`, { token: key })).body).toMatchObject({
      amount_refunded: 300,
      amount_refundable: 700,
    });
    const rest = await api.json('POST', '/v1/refunds', { token: key, body: { payment } });
    expect(rest.body.amount).toBe(700);
    const again = await api.json('POST', '/v1/refunds', { token: key, body: { payment } });
    expect(again.status).toBe(400);
    expect(again.body.error).toEqual({
      type: 'invalid_request_error',
      code: 'charge_already_refunded',
      param: 'payment',
      message: `Payment ${payment} has already been refunded in full.`,
    });
    const got = await api.json('GET', `/v1/refunds/${first.body.id}`, { token: key });
    expect(got.body).toEqual(first.body);
    const list = await api.json('GET', `/v1/refunds?payment=${payment}`, { token: key });
    expect(list.body.data.map((r: { id: string }) => r.id)).toEqual([rest.body.id, first.body.id]);
    const timeline = await api.json('GET', `/v1/payments/${payment}/events`, { token: key });
    expect(timeline.body.data.map((e: { type: string }) => e.type)).toEqual([
      'payment.refunded',
      'payment.refunded',
      'payment.succeeded',
      'payment.created',
    ]);
  });

  it('refuses more than is refundable, naming the amount, and writes nothing', async () => {
    const payment = await paid(500);
    const before = await api.count('refunds');
    const res = await api.json('POST', '/v1/refunds', { token: key, body: { payment, amount: 501 } });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      type: 'invalid_request_error',
      code: 'amount_too_large',
      param: 'amount',
      message: `Refund amount (501) is greater than the amount still refundable on payment ${payment} (500).`,
    });
    expect(await api.count('refunds')).toBe(before);
  });

  it('refuses refunds of pending and failed payments', async () => {
    const { body: pending } = await api.json('POST', '/v1/payments', {
      token: key,
      body: { amount: 100, currency: 'usd' },
    });
    const res = await api.json('POST', '/v1/refunds', { token: key, body: { payment: pending.id } });
    expect(res.body.error).toMatchObject({ code: 'payment_not_refundable', param: 'payment' });
    await api.settle(pending.id, 'failed');
    const failed = await api.json('POST', '/v1/refunds', { token: key, body: { payment: pending.id } });
    expect(failed.body.error.message).toBe(
      `Payment ${pending.id} is failed; only succeeded payments can be refunded.`,
    );
  });

  it('concurrent refunds never exceed the captured amount; the rest get a clear error', async () => {
    const payment = await paid(1000);
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        api.json('POST', '/v1/refunds', { token: key, body: { payment, amount: 300 } }),
      ),
    );
    const ok = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status === 400);
    expect(ok).toHaveLength(3);
    expect(refused).toHaveLength(5);
    for (const r of refused) expect(r.body.error.code).toBe('amount_too_large');
    const [row] = await api.database.sql`select amount_refunded::int from payments where id = ${payment}`;
    expect(row!.amount_refunded).toBe(900);
  });
});
