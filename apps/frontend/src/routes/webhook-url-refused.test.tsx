import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardClient, text } from '../testing/dashboard-client.js';
import { startTestStack, type TestStack } from '../testing/stack.js';

/**
 * The API refuses a webhook URL on a private or loopback address at registration (the worker's
 * SSRF guard, apps/api README "Endpoints"); the form shows the API's reason and adds nothing.
 */
describe('webhook URL refused by the API', () => {
  let stack: TestStack;
  let b: DashboardClient;
  beforeAll(async () => {
    stack = await startTestStack();
    b = new DashboardClient(stack.app);
    await b.signIn(stack.merchant.email, stack.merchant.password);
  });
  afterAll(() => stack?.close());

  it('shows why a loopback URL cannot be registered', async () => {
    await b.get('/webhooks');
    const res = await b.post('/webhooks', { url: 'http://127.0.0.1:8080/hooks' });
    expect(res.status).toBe(422);
    expect(text(res.html)).toContain(
      'Invalid url: refused 127.0.0.1: 127.0.0.1 is loopback (RFC 1122); private targets are not allowed (SSRF guard)',
    );
    const list = (await (await stack.api('/v1/webhook_endpoints')).json()) as { data: unknown[] };
    expect(list.data).toEqual([]);
  });
});
