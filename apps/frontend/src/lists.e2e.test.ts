// biome-ignore-all lint/performance/useDomNodeTextContent: Locator.innerText() is the visible text, which is what a person reads.
/**
 * Payouts, paging and webhook secret rotation in a real browser: Debian's Chromium driven by
 * playwright-core against the real API and dashboard servers on loopback ports and a real
 * PostgreSQL. Long lists are seeded as the worker writes them (testing/seed-lists.ts).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchChromium } from './testing/chromium.js';
import { seedDeliveries, seedPayouts } from './testing/seed-lists.js';
import { type ServedStack, serveTestStack } from './testing/stack.js';

const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));

describe('payouts, paging and secret rotation in Chromium', () => {
  let stack: ServedStack;
  let page: Page;
  let browser: Browser | undefined;
  let payouts: Awaited<ReturnType<typeof seedPayouts>>;
  let endpoint: { endpointId: string; deliveryId: string; eventId: string };

  beforeAll(async () => {
    stack = await serveTestStack();
    await stack.createPayment({ amount: 4200, currency: 'usd', description: 'Blue mug, large' });
    payouts = await seedPayouts(stack.database, stack.merchant.id, {
      count: 30,
      currency: 'usd',
      lastDay: '2026-11-30',
    });
    endpoint = await stack.createDelivery('https://shop.example/webhooks/busy');
    await seedDeliveries(stack.database, { ...endpoint, count: 59 });
    await mkdir(RESULTS, { recursive: true });
    browser = await launchChromium();
    ({ page } = browser);
    await page.goto(`${stack.frontendUrl}/login`);
    await page.getByLabel('Email address').fill(stack.merchant.email);
    await page.getByLabel('Password').fill(stack.merchant.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const rows = () => page.locator('main table tbody tr');

  it('goes from the balance to the payouts that explain it, page by page', async () => {
    expect(await page.locator('.cards').innerText()).toContain(
      'Last payout: $30.00, settlement of Nov 30, 2026',
    );
    await page.getByRole('link', { name: 'USD payouts' }).click();
    await page.getByRole('heading', { name: 'Payouts in USD', level: 1 }).waitFor();
    expect(await page.locator('main').innerText()).toContain(
      'That is why your available balance is usually zero',
    );
    expect(await rows().count()).toBe(25);
    expect(await rows().first().innerText()).toContain('$30.00');
    expect(await rows().first().innerText()).toContain('Nov 30, 2026');
    await page.screenshot({ path: join(RESULTS, 'payouts.png'), fullPage: true });

    await page.getByRole('link', { name: 'Older →' }).click();
    await page.waitForURL(/starting_after=/);
    expect(await rows().count()).toBe(5);
    expect(await rows().last().innerText()).toContain('$1.00');
    expect(await page.getByRole('link', { name: 'Older →' }).count()).toBe(0);
    await page.getByRole('link', { name: '← Newer' }).click();
    await page.waitForURL(/ending_before=/);
    expect(await rows().count()).toBe(25);
    expect(await rows().first().innerText()).toContain('$30.00');

    await page.getByRole('link', { name: `$29.00 payout ${payouts[1]!.id}` }).click();
    await page.getByRole('heading', { name: 'Details' }).waitFor();
    expect(await page.locator('#payout-amount').innerText()).toBe('$29.00');
    expect(await page.locator('#payout-settlement-date').innerText()).toBe('Nov 29, 2026');
    expect(await page.locator('main').innerText()).toContain('On its way to your bank account.');
  });

  it('walks all 60 delivery attempts of an endpoint, not just the first 50', async () => {
    await page.goto(`${stack.frontendUrl}/webhooks/${endpoint.endpointId}`);
    await page.getByRole('heading', { name: 'Delivery attempts' }).waitFor();
    const seen: number[] = [];
    for (;;) {
      seen.push(await rows().count());
      const older = page.getByRole('link', { name: 'Older →' });
      if ((await older.count()) === 0) break;
      await older.click();
      await page.getByRole('heading', { name: 'Delivery attempts' }).waitFor();
    }
    expect(seen).toEqual([25, 25, 10]);
    // The oldest attempt is the last row of the last page.
    expect(await rows().last().innerText()).toContain('HTTP 500');
  });

  it('rotates the signing secret with an overlap and shows the new one once', async () => {
    await page.goto(`${stack.frontendUrl}/webhooks/${endpoint.endpointId}`);
    expect(await page.locator('#signing-status').innerText()).toBe('Deliveries are signed with one secret.');
    await page.getByLabel('Keep the current secret signing for').selectOption({ label: '1 hour' });
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByText('New signing secret created.').waitFor();
    const secret = await page.locator('#secret-value').innerText();
    expect(secret).toMatch(/^whsec_/);
    expect(await page.locator('#signing-status').innerText()).toMatch(
      /^Rotation in progress: deliveries carry a signature with the new secret and one with the previous secret until .+ UTC\.$/,
    );
    await page.screenshot({ path: join(RESULTS, 'webhook-rotation.png'), fullPage: true });
    const [row] = await stack.database.sql`
      select secret, previous_secret is not null as overlapping from webhook_endpoints where id = ${endpoint.endpointId}`;
    expect(row).toEqual({ secret, overlapping: true });
    // Coming back later (a GET, not a re-submitted form) shows the overlap, never the secret.
    await page.goto(`${stack.frontendUrl}/webhooks/${endpoint.endpointId}`);
    expect(await page.locator('#secret-value').count()).toBe(0);
    expect(await page.locator('#signing-status').innerText()).toContain('Rotation in progress');
  });

  it('fits a phone screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/', '/payouts', `/payouts/${payouts[0]!.id}`, `/webhooks/${endpoint.endpointId}`]) {
      await page.goto(`${stack.frontendUrl}${path}`);
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect([path, overflow]).toEqual([path, 0]);
    }
    await page.goto(`${stack.frontendUrl}/payouts`);
    await page.screenshot({ path: join(RESULTS, 'payouts-phone.png'), fullPage: true });
  });
});
