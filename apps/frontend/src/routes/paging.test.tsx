/**
 * Every dashboard list longer than one page can be walked to its end: webhook endpoints, their
 * delivery attempts (the API says has_more; the page used to stop at 50), API keys and a
 * payment's timeline. Payments and payouts have their own tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardClient, text } from '../testing/dashboard-client.js';
import { seedDeliveries, seedEvents } from '../testing/seed-lists.js';
import { startTestStack, type TestStack } from '../testing/stack.js';

describe('paging through long lists', () => {
  let stack: TestStack;
  let b: DashboardClient;
  beforeAll(async () => {
    stack = await startTestStack();
    b = new DashboardClient(stack.app);
    await b.signIn(stack.merchant.email, stack.merchant.password);
  });
  afterAll(() => stack?.close());

  /** Follows "Older →" from `path` to the end; returns the ids matched on each page. */
  async function walk(path: string, idPattern: RegExp): Promise<string[][]> {
    const pages: string[][] = [];
    let next: string | undefined = path;
    while (next) {
      const res = await b.get(next);
      expect(res.status).toBe(200);
      pages.push([...new Set([...res.html.matchAll(idPattern)].map((m) => m[1]!))]);
      next = /href="([^"]+)" rel="next"/.exec(res.html)?.[1]?.replace(/&amp;/g, '&');
    }
    return pages;
  }

  it('delivery attempts: all 60, 25 a page, newest first, and back', async () => {
    const { endpointId, deliveryId, eventId } = await stack.createDelivery('https://shop.example/many');
    const seeded = await seedDeliveries(stack.database, { endpointId, eventId, count: 59 });
    const expected = [...seeded, deliveryId].sort().reverse();
    const pages = await walk(`/webhooks/${endpointId}`, /deliveries\/(wdl_[0-9a-z]+)\/resend/g);
    expect(pages.map((p) => p.length)).toEqual([25, 25, 10]);
    expect(pages.flat()).toEqual(expected);

    const last = await b.get(`/webhooks/${endpointId}?starting_after=${expected[49]}`);
    expect(text(last.html)).toContain('← Newer');
    expect(text(last.html)).not.toContain('Older →');
    const back = /href="([^"]+)" rel="prev"/.exec(last.html)![1]!;
    expect(back).toBe(`/webhooks/${endpointId}?ending_before=${expected[50]}`);
    const middle = await b.get(back);
    expect([...middle.html.matchAll(/deliveries\/(wdl_[0-9a-z]+)\/resend/g)].map((m) => m[1])).toEqual(
      expected.slice(25, 50),
    );
    expect(middle.html).toContain('rel="prev"');
    expect(middle.html).toContain('rel="next"');
  });

  it('webhook endpoints and API keys: every one reachable', async () => {
    const before = (
      (await (await stack.api('/v1/webhook_endpoints?limit=100')).json()) as { data: unknown[] }
    ).data.length;
    for (let i = 0; i < 30; i++) {
      await stack.api('/v1/webhook_endpoints', {
        method: 'POST',
        body: JSON.stringify({ url: `https://shop.example/e${i}` }),
      });
      await stack.api('/v1/api_keys', { method: 'POST', body: JSON.stringify({ name: `key ${i}` }) });
    }
    const endpoints = await walk('/webhooks', /href="\/webhooks\/(we_[0-9a-z]+)"/g);
    expect(endpoints.flat()).toHaveLength(before + 30);
    expect(endpoints[0]).toHaveLength(25);
    expect(new Set(endpoints.flat()).size).toBe(before + 30);

    const keys = await walk('/api-keys', /action="\/api-keys\/(key_[0-9a-z]+)\/revoke"/g);
    // The merchant's own key plus the 30 created above.
    expect(keys.map((p) => p.length)).toEqual([25, 6]);
    const names = text((await b.get(`/api-keys?starting_after=${keys[0]![24]}`)).html);
    expect(names).toContain('key 0');
  });

  it('ignores a cursor of the wrong kind and shows the first page', async () => {
    const res = await b.get('/api-keys?starting_after=we_0123456789');
    expect(res.status).toBe(200);
    expect(res.html).not.toContain('rel="prev"');
  });

  it("a payment's timeline shows every event, beyond the API's 100 per page", async () => {
    const paymentId = await stack.createPayment({ amount: 5000, currency: 'usd' });
    await seedEvents(stack.database, {
      merchantId: stack.merchant.id,
      objectId: paymentId,
      count: 130,
      after: Date.now(),
    });
    const res = await b.get(`/payments/${paymentId}`);
    expect(res.status).toBe(200);
    // payment.created and payment.succeeded, then the 130 seeded ones.
    expect(res.html.match(/<li>/g)?.length).toBeGreaterThanOrEqual(132);
    expect(text(res.html).match(/Refund issued/g)).toHaveLength(130);
  });
});
