import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardClient, text } from '../testing/dashboard-client.js';
import { startTestStack, type TestStack } from '../testing/stack.js';

describe('API keys', () => {
  let stack: TestStack;
  let b: DashboardClient;
  beforeAll(async () => {
    stack = await startTestStack();
    b = new DashboardClient(stack.app);
    await b.signIn(stack.merchant.email, stack.merchant.password);
  });
  afterAll(() => stack?.close());

  const secretOf = (html: string) => /<code id="secret-value">([^<]+)<\/code>/.exec(html)?.[1];
  const idOf = (html: string, name: string) =>
    new RegExp(`/api-keys/(key_[0-9a-z]+)/revoke"[^>]*data-confirm="Revoke “${name}”`).exec(html)?.[1];

  it('creates a key and shows the secret once; the key works', async () => {
    await b.get('/api-keys');
    const res = await b.post('/api-keys', { name: 'Shop server' });
    expect(res.status).toBe(201);
    const secret = secretOf(res.html)!;
    expect(secret).toMatch(/^sk_test_/);
    expect(text(res.html)).toContain('it is shown only once');
    expect((await stack.api('/v1/balance', {}, secret)).status).toBe(200);
    const list = await b.get('/api-keys');
    expect(list.html).not.toContain(secret);
    expect(text(list.html)).toContain(`${secret.slice(0, 16)}…`);
  });

  it('rolls a key: a new secret is shown and the old one stops working', async () => {
    await b.get('/api-keys');
    const created = await b.post('/api-keys', { name: 'Rollme' });
    const old = secretOf(created.html)!;
    const id = idOf(created.html, 'Rollme')!;
    const rolled = await b.post(`/api-keys/${id}/roll`, {});
    expect(rolled.status).toBe(200);
    const fresh = secretOf(rolled.html)!;
    expect(fresh).not.toBe(old);
    expect((await stack.api('/v1/balance', {}, fresh)).status).toBe(200);
    expect((await stack.api('/v1/balance', {}, old)).status).toBe(401);
  });

  it('revokes a key', async () => {
    await b.get('/api-keys');
    const created = await b.post('/api-keys', { name: 'Temporary' });
    const secret = secretOf(created.html)!;
    const id = idOf(created.html, 'Temporary')!;
    const res = await b.post(`/api-keys/${id}/revoke`, {});
    expect(res.status).toBe(303);
    const after = await b.follow(res);
    expect(text(after.html)).toContain('The API key was revoked.');
    expect((await stack.api('/v1/balance', {}, secret)).status).toBe(401);
  });

  it('creates one key when the same form is submitted twice', async () => {
    const count = async () =>
      ((await (await stack.api('/v1/api_keys?limit=100')).json()) as { data: unknown[] }).data.length;
    const before = await count();
    await b.get('/api-keys');
    const key = /name="idempotency_key" value="([^"]+)"/.exec(b.lastHtml)![1]!;
    await b.post('/api-keys', { name: 'Twice', idempotency_key: key });
    await b.post('/api-keys', { name: 'Twice', idempotency_key: key });
    expect(await count()).toBe(before + 1);
  });

  it('refuses a key without a name and creates nothing', async () => {
    const count = async () =>
      ((await (await stack.api('/v1/api_keys?limit=100')).json()) as { data: unknown[] }).data.length;
    const before = await count();
    await b.get('/api-keys');
    const res = await b.post('/api-keys', { name: '   ' });
    expect(res.status).toBe(400);
    expect(text(res.html)).toContain('Give the key a name');
    expect(await count()).toBe(before);
  });

  it('rejects a revoke without the CSRF token and keeps the key working', async () => {
    await b.get('/api-keys');
    const created = await b.post('/api-keys', { name: 'Keepme' });
    const secret = secretOf(created.html)!;
    const id = idOf(created.html, 'Keepme')!;
    const res = await b.post(`/api-keys/${id}/revoke`, { _csrf: '' });
    expect(res.status).toBe(403);
    expect((await stack.api('/v1/balance', {}, secret)).status).toBe(200);
  });
});
