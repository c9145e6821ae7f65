import { newId } from '@payday/db';
import { payouts } from '@payday/db/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../testing/harness.js';

/**
 * Rows as the worker's `payout.settle` writes them (one per merchant, currency and UTC day); the
 * worker's own test drives the real settlement into this API over HTTP.
 */
describe('payouts', () => {
  let api: TestApi;
  let key: string;
  let other: string;
  let merchantId: string;
  beforeAll(async () => {
    api = await createTestApi();
    const m = await api.merchant('Payout shop');
    key = m.apiKey.secret;
    merchantId = m.merchantId;
    other = (await api.merchant('Other shop')).apiKey.secret;
    // 12 days of usd payouts and one eur payout; ids carry their creation time (newest last).
    for (let day = 1; day <= 12; day++) {
      await api.database.db.insert(payouts).values({
        id: newId('po', Date.UTC(2026, 10, day + 1)),
        merchantId,
        currency: 'usd',
        amount: day * 1000,
        settlementDate: `2026-11-${String(day).padStart(2, '0')}`,
      });
    }
    await api.database.db.insert(payouts).values({
      id: newId('po', Date.UTC(2026, 10, 13, 1)),
      merchantId,
      currency: 'eur',
      amount: 700,
      settlementDate: '2026-11-12',
    });
  });
  afterAll(async () => api.close());

  it('lists payouts newest first, one page at a time, and retrieves one', async () => {
    const first = await api.json('GET', '/v1/payouts?limit=5', { token: key });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ object: 'list', url: '/v1/payouts', has_more: true });
    expect(first.body.data.map((p: { amount: number }) => p.amount)).toEqual([
      700, 12000, 11000, 10000, 9000,
    ]);
    expect(first.body.data[1]).toEqual({
      id: expect.stringMatching(/^po_/),
      object: 'payout',
      amount: 12000,
      currency: 'usd',
      settlement_date: '2026-11-12',
      status: 'pending',
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await api.json('GET', `/v1/payouts?limit=5${cursor ? `&starting_after=${cursor}` : ''}`, {
        token: key,
      });
      seen.push(...page.body.data.map((p: { id: string }) => p.id));
      if (!page.body.has_more) break;
      cursor = page.body.data.at(-1).id;
    }
    expect(seen).toHaveLength(13);
    expect(new Set(seen).size).toBe(13);
    const back = await api.json('GET', `/v1/payouts?limit=5&ending_before=${seen[5]}`, { token: key });
    expect(back.body.data.map((p: { id: string }) => p.id)).toEqual(seen.slice(0, 5));
    expect(back.body.has_more).toBe(false);

    const one = await api.json('GET', `/v1/payouts/${seen[1]}`, { token: key });
    expect(one.body).toEqual(first.body.data[1]);
  });

  it('filters by currency', async () => {
    const eur = await api.json('GET', '/v1/payouts?currency=eur', { token: key });
    expect(eur.body.data.map((p: { currency: string; amount: number }) => [p.currency, p.amount])).toEqual([
      ['eur', 700],
    ]);
    const bad = await api.json('GET', '/v1/payouts?currency=xyz', { token: key });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'parameter_invalid', param: 'currency' });
  });

  it('shows another merchant none of them, and answers 404 for one of them', async () => {
    const list = await api.json('GET', '/v1/payouts', { token: other });
    expect(list.body).toEqual({ object: 'list', url: '/v1/payouts', has_more: false, data: [] });
    const [row] = await api.database.db.select({ id: payouts.id }).from(payouts).limit(1);
    const res = await api.json('GET', `/v1/payouts/${row!.id}`, { token: other });
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: `No such payout: '${row!.id}'`,
    });
  });

  it('refuses a malformed id and a cursor of another kind', async () => {
    const id = await api.json('GET', '/v1/payouts/pay_123', { token: key });
    expect(id.status).toBe(400);
    expect(id.body.error).toMatchObject({ code: 'parameter_invalid', param: 'id' });
    const cursor = await api.json('GET', '/v1/payouts?starting_after=pay_123', { token: key });
    expect(cursor.status).toBe(400);
    expect(cursor.body.error).toMatchObject({ code: 'parameter_invalid', param: 'starting_after' });
    expect((await api.call('GET', '/v1/payouts')).status).toBe(401);
  });
});
