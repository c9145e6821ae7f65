import { createDatabase } from '@payday/db';
import { insertMerchant, insertPayment, openTestDatabase } from '@payday/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../testing/harness.js';
import { listPayments } from './payments.js';

describe('cursor pagination', () => {
  let api: TestApi;
  let key: string;
  let ids: string[]; // newest first
  beforeAll(async () => {
    api = await createTestApi();
    key = (await api.merchant()).apiKey.secret;
    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      created.push(
        (await api.json('POST', '/v1/payments', { token: key, body: { amount: 100 + i, currency: 'usd' } }))
          .body.id,
      );
    }
    ids = created.reverse();
  });
  afterAll(async () => api.close());

  const page = async (query: string) => {
    const res = await api.json('GET', `/v1/payments?${query}`, { token: key });
    return {
      ids: res.body.data?.map((p: { id: string }) => p.id),
      has_more: res.body.has_more,
      status: res.status,
      body: res.body,
    };
  };

  it('defaults to 10, newest first, with the list envelope', async () => {
    const p = await page('');
    expect(p.ids).toEqual(ids);
    expect(p.has_more).toBe(false);
    expect(p.body).toMatchObject({ object: 'list', url: '/v1/payments' });
  });

  it('walks forward with starting_after and back with ending_before', async () => {
    const first = await page('limit=3');
    expect(first).toMatchObject({ ids: ids.slice(0, 3), has_more: true });
    const second = await page(`limit=3&starting_after=${ids[2]}`);
    expect(second).toMatchObject({ ids: ids.slice(3, 6), has_more: true });
    const last = await page(`limit=3&starting_after=${ids[5]}`);
    expect(last).toMatchObject({ ids: ids.slice(6), has_more: false });
    const back = await page(`limit=3&ending_before=${ids[6]}`);
    expect(back).toMatchObject({ ids: ids.slice(3, 6), has_more: true });
    const toTop = await page(`limit=3&ending_before=${ids[3]}`);
    expect(toTop).toMatchObject({ ids: ids.slice(0, 3), has_more: false });
  });

  it('handles the edges: limit 1 and 100, past the end, both cursors', async () => {
    expect(await page('limit=1')).toMatchObject({ ids: [ids[0]], has_more: true });
    expect((await page('limit=100')).ids).toHaveLength(7);
    expect(await page(`starting_after=${ids[6]}`)).toMatchObject({ ids: [], has_more: false });
    expect(await page(`ending_before=${ids[0]}`)).toMatchObject({ ids: [], has_more: false });
    const both = await page(`starting_after=${ids[1]}&ending_before=${ids[4]}`);
    expect(both.status).toBe(400);
    expect(both.body.error).toMatchObject({ code: 'parameter_invalid', param: 'ending_before' });
  });

  it('refuses a cursor that names no object of the list, instead of an empty page', async () => {
    const other = (await api.merchant('Other')).apiKey.secret;
    const foreign = (
      await api.json('POST', '/v1/payments', { token: other, body: { amount: 100, currency: 'usd' } })
    ).body.id as string;
    for (const [param, cursor] of [
      ['starting_after', 'pay_00000000000000000000000000'],
      ['ending_before', 'pay_zzzzzzzzzzzzzzzzzzzzzzzzzz'],
      // Another merchant's payment is as unknown here as one that never existed.
      ['starting_after', foreign],
    ] as const) {
      const p = await page(`${param}=${cursor}`);
      expect(p.status).toBe(400);
      expect(p.body.error).toEqual({
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: `No such object to page from: '${cursor}'`,
        param,
      });
    }
    const events = await api.json('GET', '/v1/events?starting_after=evt_0000', { token: key });
    expect(events.status).toBe(400);
    expect(events.body.error).toMatchObject({ code: 'resource_missing', param: 'starting_after' });
  });

  it('keeps paging from a payment whose status changed since the previous page', async () => {
    const pending = await page('status=pending&limit=2');
    const cursor = pending.ids.at(-1) as string;
    await api.settle(cursor);
    const next = await page(`status=pending&limit=2&starting_after=${cursor}`);
    expect(next.status).toBe(200);
    expect(next.ids).toEqual(ids.slice(2, 4));
  });

  it('filters by status and creation time', async () => {
    await api.settle(ids[0]!);
    // ids[1] was settled by the previous test.
    expect((await page('status=succeeded')).ids).toEqual([ids[0], ids[1]]);
    expect((await page('status=pending')).ids).toEqual(ids.slice(2));
    expect((await page('created_lt=2000-01-01T00:00:00Z')).ids).toEqual([]);
    expect((await page('created_gte=2000-01-01T00:00:00Z')).ids).toHaveLength(7);
  });
});

describe('a page of a list', () => {
  it('runs as a prepared statement, one per shape of the list on a connection', async () => {
    const t = await openTestDatabase();
    // One connection, so the statements it prepared are the ones pg_prepared_statements lists.
    const one = createDatabase(t.test.url, { max: 1 });
    try {
      const merchantId = await insertMerchant(t);
      for (let i = 0; i < 3; i++) await insertPayment(t, merchantId, 100 + i);
      const first = await listPayments(one.db, merchantId, { limit: 2 });
      const again = await listPayments(one.db, merchantId, { limit: 2 });
      const next = await listPayments(one.db, merchantId, { limit: 2, starting_after: first.data[1]!.id });
      expect(again.data).toEqual(first.data);
      expect([first.data.length, first.has_more, next.data.length, next.has_more]).toEqual([
        2,
        true,
        1,
        false,
      ]);
      const prepared = await one.sql<{ statement: string }[]>`
        select statement from pg_prepared_statements where statement like 'select "id", %from "payments"%'`;
      // The first page (prepared once for both calls), the cursor's check, the next page.
      expect(prepared).toHaveLength(3);
    } finally {
      await one.close();
      await t.cleanup();
    }
  });
});
