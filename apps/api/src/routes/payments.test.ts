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
});
