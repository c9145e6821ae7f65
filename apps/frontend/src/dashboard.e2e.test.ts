// biome-ignore-all lint/performance/useDomNodeTextContent: Locator.innerText() is the visible text, which is what a person reads.
/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core, against the
 * real API and frontend servers on loopback ports and a real PostgreSQL. Assertions are on what
 * a person sees (text, not pixels); the screenshots are for people reviewing a run.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchChromium } from './testing/chromium.js';
import { type ServedStack, serveTestStack } from './testing/stack.js';

const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));

describe('dashboard in Chromium', () => {
  let stack: ServedStack;
  let context: BrowserContext;
  let page: Page;
  let browser: Browser | undefined;
  let paymentId: string;

  beforeAll(async () => {
    stack = await serveTestStack();
    paymentId = await stack.createPayment({ amount: 4200, currency: 'usd', description: 'Blue mug, large' });
    await stack.createPayment({ amount: 1999, currency: 'usd', description: 'Tea towel' });
    await stack.createPayment({
      amount: 500,
      currency: 'usd',
      description: 'Declined order',
      outcome: 'failed',
    });
    await mkdir(RESULTS, { recursive: true });
    browser = await launchChromium();
    ({ context, page } = browser);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('signs in and shows the overview with the volume chart', async () => {
    await page.goto(`${stack.frontendUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('Email address').fill(stack.merchant.email);
    await page.getByLabel('Password').fill('not my password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Email or password is incorrect.').waitFor();
    await page.screenshot({ path: join(RESULTS, 'login-error.png'), fullPage: true });
    await page.getByLabel('Password').fill(stack.merchant.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name.includes('payday_session'))).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
    });
    await expect(page.locator('main').innerText()).resolves.toContain('USD volume, last 30 days');
    expect(await page.locator('svg.chart-svg rect.chart-bar').count()).toBe(30);
    expect(await page.locator('svg.chart-svg title').first().textContent()).toBe('USD daily volume');
    // $42.00 + $19.99 succeeded today; the declined payment is not volume.
    await expect(page.locator('.chart-total').innerText()).resolves.toBe('$61.99');
    await page.screenshot({ path: join(RESULTS, 'overview.png'), fullPage: true });
  });

  it('opens a payment, refunds part of it and sees the refundable amount drop', async () => {
    await page.getByRole('link', { name: 'Payments', exact: true }).click();
    await page.getByRole('heading', { name: 'Payments', level: 1 }).waitFor();
    await page.getByRole('link', { name: `$42.00 payment ${paymentId}` }).click();
    await page.getByRole('heading', { name: 'Refund' }).waitFor();
    expect(await page.locator('#amount-refundable').innerText()).toBe('$42.00');
    expect(await page.locator('main').innerText()).toContain('You can refund up to $42.00.');
    await page.getByLabel('Amount (USD)').fill('10.50');
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await page.getByText('Refunded $10.50.').waitFor();
    expect(await page.locator('#amount-refunded').innerText()).toBe('$10.50');
    expect(await page.locator('#amount-refundable').innerText()).toBe('$31.50');
    expect(await page.locator('main').innerText()).toContain('You can refund up to $31.50.');
    await page.screenshot({ path: join(RESULTS, 'payment-detail.png'), fullPage: true });
  });

  it('adds a webhook endpoint and shows its signing secret once', async () => {
    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    await page.getByLabel('Endpoint URL').fill('https://shop.example/webhooks/payday');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByText('Webhook endpoint https://shop.example/webhooks/payday added.').waitFor();
    expect(await page.locator('#secret-value').innerText()).toMatch(/^whsec_/);
    await page.screenshot({ path: join(RESULTS, 'webhooks.png'), fullPage: true });
    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    expect(await page.locator('#secret-value').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'https://shop.example/webhooks/payday' }).count()).toBe(1);
  });

  it('creates an API key, shown once, and revokes it', async () => {
    await page.getByRole('link', { name: 'API keys', exact: true }).click();
    await page.getByLabel('Name').fill('Shop server');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.locator('#secret-value').innerText();
    expect(secret).toMatch(/^sk_/);
    await page.screenshot({ path: join(RESULTS, 'api-keys.png'), fullPage: true });
    const row = page.getByRole('row', { name: /Shop server/ });
    expect(await row.innerText()).toContain('Active');
    await page.getByRole('button', { name: 'Revoke key Shop server' }).click();
    await page.getByText('The API key was revoked.').waitFor();
    expect(await page.getByRole('row', { name: /Shop server/ }).innerText()).toContain('Revoked');
    // The revoked key no longer authenticates against the API.
    const res = await fetch(`${stack.apiUrl}/v1/payments`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(res.status).toBe(401);
  });

  it('fits a phone screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/', '/payments', `/payments/${paymentId}`, '/webhooks', '/api-keys']) {
      await page.goto(`${stack.frontendUrl}${path}`);
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect([path, overflow]).toEqual([path, 0]);
    }
    await page.goto(`${stack.frontendUrl}/`);
    await page.screenshot({ path: join(RESULTS, 'overview-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
    await page.goto(`${stack.frontendUrl}/payments`);
    expect(new URL(page.url()).pathname).toBe('/login');
  });
});
