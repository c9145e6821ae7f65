import { payouts, webhookDeliveries } from '@payday/db/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../testing/harness.js';

/** Merchant B can never see or touch merchant A's objects: 404 (not 403), and lists leave them out. */
describe('tenant isolation', () => {
  let api: TestApi;
  let a: string;
  let b: string;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    api = await createTestApi();
    const ma = await api.merchant('A');
    a = ma.apiKey.secret;
    ids.key = ma.apiKey.id;
    b = (await api.merchant('B')).apiKey.secret;
    const pay = await api.json('POST', '/v1/payments', { token: a, body: { amount: 5000, currency: 'usd' } });
    ids.payment = pay.body.id;
    await api.settle(ids.payment!);
    ids.refund = (
      await api.json('POST', '/v1/refunds', { token: a, body: { payment: ids.payment, amount: 100 } })
    ).body.id;
    ids.endpoint = (
      await api.json('POST', '/v1/webhook_endpoints', { token: a, body: { url: 'https://a.example/hook' } })
    ).body.id;
    const events = await api.json('GET', '/v1/events', { token: a });
    ids.event = events.body.data[0].id;
    const [d] = await api.database.db
      .insert(webhookDeliveries)
      .values({
        endpointId: ids.endpoint!,
        eventId: ids.event!,
        attempt: 1,
        status: 'failed',
        httpStatus: 500,
      })
      .returning();
    ids.delivery = d!.id;
    const [po] = await api.database.db
      .insert(payouts)
      .values({ merchantId: ma.merchantId, currency: 'usd', amount: 4900, settlementDate: '2026-11-20' })
      .returning();
    ids.payout = po!.id;
  });
  afterAll(async () => api.close());

  const objectRoutes = () =>
    [
      ['GET', `/v1/payments/${ids.payment}`, undefined],
      ['GET', `/v1/payments/${ids.payment}/events`, undefined],
      ['GET', `/v1/refunds/${ids.refund}`, undefined],
      ['GET', `/v1/events/${ids.event}`, undefined],
      ['GET', `/v1/webhook_endpoints/${ids.endpoint}`, undefined],
      ['POST', `/v1/webhook_endpoints/${ids.endpoint}`, { disabled: true }],
      ['POST', `/v1/webhook_endpoints/${ids.endpoint}/rotate_secret`, {}],
      ['GET', `/v1/payouts/${ids.payout}`, undefined],
      ['DELETE', `/v1/webhook_endpoints/${ids.endpoint}`, undefined],
      ['GET', `/v1/webhook_endpoints/${ids.endpoint}/deliveries`, undefined],
      ['POST', `/v1/webhook_endpoints/${ids.endpoint}/deliveries/${ids.delivery}/resend`, undefined],
      ['POST', '/v1/refunds', { payment: ids.payment }],
      ['POST', `/v1/api_keys/${ids.key}/roll`, {}],
      ['POST', `/v1/api_keys/${ids.key}/revoke`, undefined],
    ] as const;

  it("answers 404 for every one of A's objects, and changes nothing", async () => {
    const before = await api.database.sql`select
      (select count(*) from refunds) r, (select count(*) from jobs) j, (select count(*) from api_keys where revoked_at is null) k,
      (select count(*) from webhook_endpoints where enabled) w,
      (select string_agg(secret, ',') from webhook_endpoints) s`;
    for (const [method, path, body] of objectRoutes()) {
      const res = await api.json(method, path, { token: b, ...(body === undefined ? {} : { body }) });
      expect({ method, path, status: res.status, code: res.body.error?.code }).toEqual({
        method,
        path,
        status: 404,
        code: 'resource_missing',
      });
    }
    const after = await api.database.sql`select
      (select count(*) from refunds) r, (select count(*) from jobs) j, (select count(*) from api_keys where revoked_at is null) k,
      (select count(*) from webhook_endpoints where enabled) w,
      (select string_agg(secret, ',') from webhook_endpoints) s`;
    expect(after).toEqual(before);
  });

  it("A's objects exist (the same routes answer A)", async () => {
    for (const [method, path] of objectRoutes().filter(([m]) => m === 'GET')) {
      expect((await api.call(method, path, { token: a })).status).toBe(200);
    }
  });

  it("lists, balance and reports show B none of A's data", async () => {
    for (const path of [
      '/v1/payments',
      '/v1/refunds',
      '/v1/events',
      '/v1/webhook_endpoints',
      '/v1/payouts',
    ]) {
      const res = await api.json('GET', path, { token: b });
      expect({ path, data: res.body.data }).toEqual({ path, data: [] });
    }
    const keys = await api.json('GET', '/v1/api_keys', { token: b });
    expect(keys.body.data.map((k: { id: string }) => k.id)).not.toContain(ids.key);
    expect((await api.json('GET', '/v1/balance', { token: b })).body).toEqual({
      object: 'balance',
      available: [],
      pending: [],
    });
    expect((await api.json('GET', '/v1/reports/volume', { token: b })).body.data).toEqual([]);
    const filtered = await api.json('GET', `/v1/events?object_id=${ids.payment}`, { token: b });
    expect(filtered.body.data).toEqual([]);
    // A's payment as B's cursor is unknown to B, exactly like an id that never existed.
    const cursor = await api.json('GET', `/v1/payments?ending_before=${ids.payment}`, { token: b });
    expect(cursor.status).toBe(400);
    expect(cursor.body.error).toMatchObject({ code: 'resource_missing', param: 'ending_before' });
  });
});
