import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardClient, text } from '../testing/dashboard-client.js';
import { startTestStack, type TestStack } from '../testing/stack.js';

describe('overview and payments', () => {
  let stack: TestStack;
  let b: DashboardClient;
  let mug: string;
  let declined: string;

  beforeAll(async () => {
    stack = await startTestStack();
    mug = await stack.createPayment({ amount: 4200, currency: 'usd', description: 'Blue mug' });
    await stack.createPayment({ amount: 1500, currency: 'jpy', description: 'Matcha' });
    declined = await stack.createPayment({
      amount: 900,
      currency: 'usd',
      description: 'Declined',
      outcome: 'failed',
    });
    b = new DashboardClient(stack.app, 'http://dashboard.test', { 'accept-language': 'de-DE,de;q=0.9' });
    await b.signIn(stack.merchant.email, stack.merchant.password);
  });
  afterAll(() => stack?.close());

  it('shows balances per currency and one chart per currency, formatted for the reader', async () => {
    const res = await b.get('/');
    expect(res.status).toBe(200);
    const t = text(res.html);
    // Captured, not yet settled: the worker's payout moves it to available.
    expect(t).toContain('Available · USD 0,00 $ Pending: 42,00 $');
    expect(t).toContain('JPY volume, last 30 days');
    expect(t).toContain('Pending: 1.500 ¥');
    expect(res.html.match(/<svg /g)).toHaveLength(2);
    expect(res.html).not.toMatch(/style=|<script>/);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('lists payments newest first and filters by status', async () => {
    const all = await b.get('/payments');
    expect(all.status).toBe(200);
    const t = text(all.html);
    expect(t.indexOf('Declined')).toBeLessThan(t.indexOf('Blue mug'));
    const failed = await b.get('/payments?status=failed');
    expect(text(failed.html)).toContain(declined);
    expect(text(failed.html)).not.toContain(mug);
  });

  it('filters by date and shows an empty state when nothing matches', async () => {
    const res = await b.get('/payments?from=2001-01-01&to=2001-01-31');
    expect(res.status).toBe(200);
    expect(text(res.html)).toContain('No payments match these filters');
  });

  it('explains a bad filter instead of sending it to the API', async () => {
    const res = await b.get('/payments?status=stolen&from=2026-13-01');
    expect(res.status).toBe(400);
    expect(text(res.html)).toContain('Choose a status from the list.');
    expect(text(res.html)).toContain('Enter the start date as YYYY-MM-DD.');
  });

  it('pages through payments with cursors in both directions', async () => {
    for (let i = 0; i < 26; i++)
      await stack.createPayment({ amount: 100 + i, currency: 'eur', process: false });
    const first = await b.get('/payments');
    const next = /href="(\/payments\?starting_after=[^"]+)"/.exec(first.html)?.[1];
    expect(first.html).not.toContain('ending_before');
    expect(next).toBeDefined();
    const second = await b.get(next!.replace(/&amp;/g, '&'));
    expect(text(second.html)).toContain('Blue mug');
    expect(second.html).not.toContain('starting_after');
    const prev = /href="(\/payments\?ending_before=[^"]+)"/.exec(second.html)?.[1];
    const back = await b.get(prev!.replace(/&amp;/g, '&'));
    expect(back.html.match(/<tr>/g)?.length).toBe(first.html.match(/<tr>/g)?.length);
    expect(text(back.html)).not.toContain('Blue mug');
  });

  it('shows a payment with its timeline and the refundable amount', async () => {
    const res = await b.get(`/payments/${mug}`);
    expect(res.status).toBe(200);
    const t = text(res.html);
    expect(t).toContain('Payment created');
    expect(t).toContain('Payment succeeded');
    expect(t).toContain('You can refund up to 42,00 $.');
  });

  it('refunds part of a payment and shows what is left', async () => {
    await b.get(`/payments/${mug}`);
    const res = await b.post(`/payments/${mug}/refunds`, {
      amount: '10,50',
      idempotency_key: 'e2e-refund-key-1',
    });
    expect(res.status).toBe(303);
    const after = text((await b.follow(res)).html);
    expect(after).toContain('Refunded 10,50 $.');
    expect(after).toContain('You can refund up to 31,50 $.');
    // The same form submitted twice refunds once (Idempotency-Key).
    await b.post(`/payments/${mug}/refunds`, { amount: '10,50', idempotency_key: 'e2e-refund-key-1' });
    expect((await stack.paymentJson(mug)).amount_refunded).toBe(1050);
  });

  it('refuses a refund above the refundable amount and changes nothing', async () => {
    await b.get(`/payments/${mug}`);
    const res = await b.post(`/payments/${mug}/refunds`, { amount: '31,51' });
    expect(res.status).toBe(422);
    expect(text(res.html)).toContain('You can refund at most 31,50 $ of this payment.');
    expect(res.html).toContain('value="31,51"');
    expect((await stack.paymentJson(mug)).amount_refunded).toBe(1050);
  });

  it('refuses an unreadable amount and changes nothing', async () => {
    await b.get(`/payments/${mug}`);
    const res = await b.post(`/payments/${mug}/refunds`, { amount: '1.005' });
    expect(res.status).toBe(400);
    expect(text(res.html)).toContain('Enter at most 2 digits after the decimal point.');
    expect((await stack.paymentJson(mug)).amount_refunded).toBe(1050);
  });

  it('offers no refund on a failed payment and refuses one posted anyway', async () => {
    const page = await b.get(`/payments/${declined}`);
    expect(text(page.html)).toContain('Only succeeded payments can be refunded.');
    const res = await b.post(`/payments/${declined}/refunds`, { amount: '1' });
    expect(res.status).toBe(422);
    expect(text(res.html)).toContain('This payment has nothing left to refund.');
  });

  it('rejects a refund without the CSRF token and changes nothing', async () => {
    await b.get(`/payments/${mug}`);
    const res = await b.post(`/payments/${mug}/refunds`, { _csrf: 'nope', amount: '1' });
    expect(res.status).toBe(403);
    expect((await stack.paymentJson(mug)).amount_refunded).toBe(1050);
  });

  it('answers 404 with directions for an unknown payment or page', async () => {
    const missing = await b.get('/payments/pay_doesnotexist');
    expect(missing.status).toBe(404);
    expect(text(missing.html)).toContain('Go to the overview');
    expect((await b.get('/nope')).status).toBe(404);
  });

  it('does not show another merchant’s payment', async () => {
    const other = await stack.createOtherMerchantPayment();
    expect((await b.get(`/payments/${other}`)).status).toBe(404);
  });
});
