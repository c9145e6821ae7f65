import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardApi } from './api-client.js';
import { createApp } from './app.js';
import { DashboardClient, text } from './testing/dashboard-client.js';
import { closedPort, startTestStack, TEST_CONFIG, type TestStack } from './testing/stack.js';

describe('the dashboard app', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.close());

  it('sets a strict CSP and security headers on every page, errors included', async () => {
    for (const path of ['/login', '/nope']) {
      const res = await stack.app.request(path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
    }
  });

  it('serves the stylesheet and script it links, cacheable for a year', async () => {
    const html = await (await stack.app.request('/login')).text();
    const css = /href="(\/assets\/app\.[0-9a-f]{12}\.css)"/.exec(html)?.[1];
    const js = /src="(\/assets\/app\.[0-9a-f]{12}\.js)"/.exec(html)?.[1];
    const cssRes = await stack.app.request(css!);
    expect(cssRes.status).toBe(200);
    expect(cssRes.headers.get('content-type')).toContain('text/css');
    expect(cssRes.headers.get('cache-control')).toContain('immutable');
    expect((await stack.app.request(js!)).headers.get('content-type')).toContain('javascript');
    const etag = cssRes.headers.get('etag')!;
    expect((await stack.app.request(css!, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('has landmarks, a skip link and labelled fields', async () => {
    const html = await (await stack.app.request('/login')).text();
    expect(html).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(html).toContain('<a class="skip-link" href="#main">');
    expect(html).toContain('<main id="main"');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain('name="viewport"');
  });

  it('reports health, readiness and metrics with the contract names', async () => {
    expect((await stack.app.request('/healthz')).status).toBe(200);
    expect(await (await stack.app.request('/readyz')).json()).toEqual({ status: 'ready' });
    await stack.app.request('/login');
    const metrics = await (await stack.app.request('/metrics')).text();
    expect(metrics).toMatch(
      /http_requests_total\{app="frontend",route="\/login",method="GET",status="200",version="test"\} \d+/,
    );
    expect(metrics).toContain(
      'http_request_duration_seconds_bucket{le="0.005",version="test",app="frontend",route="/login",method="GET"}',
    );
  });

  it('turns /readyz to 503 while draining', async () => {
    const app = createApp({ api: stack.dashboardApi, config: TEST_CONFIG, isDraining: () => true });
    const res = await app.request('/readyz');
    expect(res.status).toBe(503);
  });

  describe('when the API is unreachable', () => {
    let port: number;
    beforeAll(async () => {
      port = await closedPort();
    });
    const downApp = () =>
      createApp({
        api: createDashboardApi({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2000 }),
        config: TEST_CONFIG,
      });

    it('says so on sign-in and tells the person what to do', async () => {
      const b = new DashboardClient(downApp());
      await b.get('/login');
      const res = await b.post('/login', { email: 'a@b.test', password: 'x' });
      expect(res.status).toBe(503);
      expect(text(res.html)).toContain('Payday is temporarily unavailable');
      expect(text(res.html)).toContain('Wait a minute and reload the page.');
      expect(text(res.html)).toMatch(/quote request id [0-9a-f-]{36}/);
    });

    it('shows the same page to a signed-in merchant and reports not ready', async () => {
      const b = new DashboardClient(stack.app);
      await b.signIn(stack.merchant.email, stack.merchant.password);
      const down = new DashboardClient(downApp());
      for (const [k, v] of b.cookies) down.cookies.set(k, v);
      const res = await down.get('/');
      expect(res.status).toBe(503);
      expect(text(res.html)).toContain('The dashboard cannot reach the Payday API right now');
      expect(text(res.html)).toContain('Sign out');
      expect((await downApp().request('/readyz')).status).toBe(503);
    });
  });

  describe('when the API fails', () => {
    it('shows the 500 page with a request id, signed in, and logs the cause', async () => {
      const broken = await startTestStack();
      try {
        const b = new DashboardClient(broken.app);
        await b.signIn(broken.merchant.email, broken.merchant.password);
        // A real failure inside the real API: its payments table is gone.
        await broken.database.db.execute(sql`alter table payments rename to payments_gone`);
        const res = await b.get('/payments');
        expect(res.status).toBe(500);
        const t = text(res.html);
        expect(t).toContain('Something went wrong on our side');
        expect(t).toContain('Reload the page to try again.');
        expect(t).toMatch(/quote request id [0-9a-f-]{36}/);
        expect(t).toContain('Sign out');
        expect(res.html).not.toMatch(/payments_gone|at .*\.ts/);
      } finally {
        await broken.close();
      }
    });
  });
});
