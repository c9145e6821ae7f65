import { insertMerchant } from '@payday/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardClient, text } from '../testing/dashboard-client.js';
import { seedPayouts } from '../testing/seed-lists.js';
import { startTestStack, type TestStack } from '../testing/stack.js';

describe('payouts', () => {
  let stack: TestStack;
  let b: DashboardClient;
  let usd: Awaited<ReturnType<typeof seedPayouts>>;
  let theirs: string;
  beforeAll(async () => {
    stack = await startTestStack();
    b = new DashboardClient(stack.app);
    await b.signIn(stack.merchant.email, stack.merchant.password);
    // 30 days of usd payouts ($1.00 … $30.00) and one eur payout; another merchant's payout.
    usd = await seedPayouts(stack.database, stack.merchant.id, {
      count: 30,
      currency: 'usd',
      lastDay: '2026-11-30',
    });
    await seedPayouts(stack.database, stack.merchant.id, {
      count: 1,
      currency: 'eur',
      lastDay: '2026-11-30',
    });
    const other = await insertMerchant(stack.database, 'Someone else');
    const [their] = await seedPayouts(stack.database, other, {
      count: 1,
      currency: 'usd',
      lastDay: '2026-11-30',
    });
    theirs = their!.id;
  });
  afterAll(() => stack?.close());

  const ids = (html: string) => [...html.matchAll(/href="\/payouts\/(po_[0-9a-z]+)"/g)].map((m) => m[1]);

  it('is linked from each balance card, with the last payout, filtered to that currency', async () => {
    await stack.createPayment({ amount: 1000, currency: 'usd' });
    const overview = await b.get('/');
    expect(overview.html).toContain('href="/payouts?currency=usd"');
    expect(text(overview.html)).toContain('Last payout: $30.00, settlement of Nov 30, 2026 USD payouts');
  });

  it('lists payouts newest first, 25 a page, with links both ways', async () => {
    const first = await b.get('/payouts');
    expect(first.status).toBe(200);
    expect(first.html).toContain('aria-current="page">Payouts');
    const page1 = ids(first.html);
    expect(page1).toHaveLength(25);
    // The eur payout and the usd one of Nov 30 were both created on Dec 1; eur's id is older.
    expect(page1.slice(0, 2)).toEqual([usd[0]!.id, expect.stringMatching(/^po_/)]);
    expect(text(first.html)).toContain(
      `$30.00 payout ${usd[0]!.id} In transit Nov 30, 2026 ${usd[0]!.id} Dec 1, 2026, 7:57 AM UTC`,
    );
    expect(text(first.html)).toContain('That is why your available balance is usually zero');
    expect(first.html).not.toContain('rel="prev"');
    const older = /href="(\/payouts\?starting_after=po_[0-9a-z]+)" rel="next"/.exec(first.html)![1]!;

    const second = await b.get(older);
    const page2 = ids(second.html);
    expect(page2).toHaveLength(6);
    expect([...page1, ...page2]).not.toContain(theirs);
    expect(new Set([...page1, ...page2]).size).toBe(31);
    expect(second.html).not.toContain('rel="next"');
    const newer = /href="(\/payouts\?ending_before=po_[0-9a-z]+)" rel="prev"/.exec(second.html)![1]!;
    expect(ids((await b.get(newer)).html)).toEqual(page1);
  });

  it('filters to one currency and keeps the filter while paging', async () => {
    const eur = await b.get('/payouts?currency=EUR');
    expect(text(eur.html)).toContain('Payouts in EUR');
    expect(ids(eur.html)).toHaveLength(1);
    expect(text(eur.html)).toContain('€1.00');
    const usdPage = await b.get('/payouts?currency=usd');
    expect(ids(usdPage.html)).toEqual(usd.slice(0, 25).map((p) => p.id));
    expect(usdPage.html).toContain(`href="/payouts?currency=usd&amp;starting_after=${usd[24]!.id}"`);
    const rest = await b.get(`/payouts?currency=usd&starting_after=${usd[24]!.id}`);
    expect(ids(rest.html)).toEqual(usd.slice(25).map((p) => p.id));
  });

  it('refuses a currency that is not one, with a message, and lists nothing', async () => {
    for (const currency of ['dollars', 'xyz']) {
      const res = await b.get(`/payouts?currency=${currency}`);
      expect(res.status).toBe(400);
      expect(text(res.html)).toContain(
        `There are no payouts in “${currency}”: use a three-letter currency code such as USD.`,
      );
      expect(ids(res.html)).toEqual([]);
    }
  });

  it('shows one payout, and not another merchant’s', async () => {
    const res = await b.get(`/payouts/${usd[0]!.id}`);
    expect(res.status).toBe(200);
    const page = text(res.html);
    expect(page).toContain('$30.00 In transit');
    expect(page).toContain('On its way to your bank account.');
    expect(page).toContain('Settlement of Nov 30, 2026');
    expect(page).toContain(usd[0]!.id);
    expect(res.html).toContain('href="/payouts?currency=usd"');
    expect((await b.get(`/payouts/${theirs}`)).status).toBe(404);
    expect((await b.get('/payouts/po_doesnotexist')).status).toBe(404);
  });
});
