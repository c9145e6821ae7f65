import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardClient, text } from '../testing/dashboard-client.js';
import { startTestStack, type TestStack } from '../testing/stack.js';

describe('sign-in, sign-out and sessions', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ loginMaxFailures: 3 });
  });
  afterAll(() => stack?.close());

  it('sends a signed-out visitor to the sign-in page', async () => {
    const b = new DashboardClient(stack.app);
    for (const path of ['/', '/payments', '/payments/pay_x', '/webhooks', '/api-keys']) {
      const res = await b.get(path);
      expect([path, res.status, res.location]).toEqual([path, 303, '/login']);
    }
    const login = await b.get('/login');
    expect(login.status).toBe(200);
    expect(text(login.html)).toContain('Sign in to Payday');
    expect(login.html).toContain('<label for="email">Email address</label>');
  });

  it('signs in with the right password into a sealed, httpOnly, SameSite=Lax cookie', async () => {
    const b = new DashboardClient(stack.app);
    await b.get('/login');
    const res = await b.post('/login', { email: stack.merchant.email, password: stack.merchant.password });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-payday_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toContain('dst_');
    const overview = await b.follow(res);
    expect(overview.status).toBe(200);
    expect(text(overview.html)).toContain(stack.merchant.email);
  });

  it('starts a new CSRF token on sign-in (no session fixation)', async () => {
    const b = new DashboardClient(stack.app);
    await b.get('/login');
    const before = b.csrf;
    await b.signIn(stack.merchant.email, stack.merchant.password);
    expect(b.csrf).not.toBe(before);
  });

  it('refuses a wrong password with a clear message and no session', async () => {
    const b = new DashboardClient(stack.app, 'http://dashboard.test', { 'x-forwarded-for': '203.0.113.9' });
    await b.get('/login');
    const res = await b.post('/login', { email: stack.merchant.email, password: 'not-the-password' });
    expect(res.status).toBe(401);
    expect(text(res.html)).toContain('Email or password is incorrect.');
    expect(res.html).toContain(`value="${stack.merchant.email}"`);
    expect((await b.get('/')).location).toBe('/login');
  });

  it('rejects an empty form without asking the API', async () => {
    const b = new DashboardClient(stack.app);
    await b.get('/login');
    const res = await b.post('/login', { email: '', password: '' });
    expect(res.status).toBe(400);
    expect(text(res.html)).toContain('Enter your email address and password.');
  });

  it('rate-limits repeated failures, even with the right password, and says how long to wait', async () => {
    const b = new DashboardClient(stack.app);
    const email = stack.merchant.email.toUpperCase();
    await b.get('/login');
    // One failure was recorded by the wrong-password test above (limit 3).
    for (let i = 0; i < 2; i++) {
      expect((await b.post('/login', { email, password: `wrong-${i}` })).status).toBe(401);
    }
    const blocked = await b.post('/login', {
      email: stack.merchant.email,
      password: stack.merchant.password,
    });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(text(blocked.html)).toContain('Too many failed sign-in attempts. Wait 15 minutes and try again');
    expect((await b.get('/')).location).toBe('/login');
    // The window passes: the right password works again.
    stack.clock.advance(15 * 60_000 + 1);
    await b.get('/login');
    const ok = await b.post('/login', { email: stack.merchant.email, password: stack.merchant.password });
    expect(ok.status).toBe(303);
  });

  it('rejects a form post without the CSRF token and changes nothing', async () => {
    const b = new DashboardClient(stack.app);
    await b.get('/login');
    const res = await b.post('/login', {
      _csrf: 'forged',
      email: stack.merchant.email,
      password: stack.merchant.password,
    });
    expect(res.status).toBe(403);
    expect(text(res.html)).toContain('This form has expired');
    expect((await b.get('/')).location).toBe('/login');
  });

  it('signs out: the cookie is replaced and the API token no longer works', async () => {
    const b = new DashboardClient(stack.app);
    await b.signIn(stack.merchant.email, stack.merchant.password);
    const token = stack.tokenOf(b);
    expect((await stack.api('/v1/balance', {}, token)).status).toBe(200);
    const out = await b.post('/logout', {});
    expect(out.status).toBe(303);
    expect(out.location).toBe('/login');
    expect(text((await b.follow(out)).html)).toContain('You have signed out.');
    expect((await b.get('/')).location).toBe('/login');
    expect((await stack.api('/v1/balance', {}, token)).status).toBe(401);
  });

  it('ends the session after its lifetime and says so', async () => {
    const b = new DashboardClient(stack.app);
    await b.signIn(stack.merchant.email, stack.merchant.password);
    stack.clock.advance(stack.config.sessionTtlSeconds * 1000 + 1);
    const res = await b.get('/payments');
    expect(res.location).toBe('/login');
    expect(text((await b.follow(res)).html)).toContain('Your session has expired. Sign in again.');
  });

  it('ends the session when the API no longer accepts its token', async () => {
    const b = new DashboardClient(stack.app);
    await b.signIn(stack.merchant.email, stack.merchant.password);
    // Signed out elsewhere (another tab, or support revoked it): the API refuses the token.
    const res0 = await stack.api('/v1/dashboard/logout', { method: 'POST' }, stack.tokenOf(b));
    expect(res0.status).toBe(200);
    const res = await b.get('/');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/login');
    expect(text((await b.follow(res)).html)).toContain('Your session has expired. Sign in again.');
  });

  it('ignores a tampered cookie', async () => {
    const b = new DashboardClient(stack.app);
    await b.signIn(stack.merchant.email, stack.merchant.password);
    const [name, value] = [...b.cookies][0]!;
    b.cookies.set(name, `${value.slice(0, -4)}AAAA`);
    expect((await b.get('/')).location).toBe('/login');
  });
});
