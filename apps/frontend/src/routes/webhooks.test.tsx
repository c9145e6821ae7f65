import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardClient, text } from '../testing/dashboard-client.js';
import { startTestStack, type TestStack } from '../testing/stack.js';

describe('webhook endpoints and deliveries', () => {
  let stack: TestStack;
  let b: DashboardClient;
  beforeAll(async () => {
    stack = await startTestStack();
    b = new DashboardClient(stack.app);
    await b.signIn(stack.merchant.email, stack.merchant.password);
  });
  afterAll(() => stack?.close());

  const endpointCount = async () =>
    ((await (await stack.api('/v1/webhook_endpoints')).json()) as { data: unknown[] }).data.length;

  it('shows an empty state first', async () => {
    const res = await b.get('/webhooks');
    expect(res.status).toBe(200);
    expect(text(res.html)).toContain('No webhook endpoints yet');
  });

  it('adds an endpoint and shows its signing secret once', async () => {
    await b.get('/webhooks');
    const res = await b.post('/webhooks', { url: 'https://shop.example/hooks' });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(text(res.html)).toContain('Webhook endpoint https://shop.example/hooks added.');
    expect(res.html).toMatch(/<code id="secret-value">whsec_[\w-]+<\/code>/);
    const again = await b.get('/webhooks');
    expect(again.html).not.toContain('whsec_');
    expect(text(again.html)).toContain('https://shop.example/hooks');
  });

  it('adds one endpoint when the same form is submitted twice', async () => {
    const before = await endpointCount();
    await b.get('/webhooks');
    const key = /name="idempotency_key" value="([^"]+)"/.exec(b.lastHtml)![1]!;
    expect(
      (await b.post('/webhooks', { url: 'https://shop.example/twice', idempotency_key: key })).status,
    ).toBe(201);
    expect(
      (await b.post('/webhooks', { url: 'https://shop.example/twice', idempotency_key: key })).status,
    ).toBe(201);
    expect(await endpointCount()).toBe(before + 1);
  });

  it('refuses a malformed URL with a clear message and adds nothing', async () => {
    const before = await endpointCount();
    await b.get('/webhooks');
    for (const [url, message] of [
      ['shop.example/hooks', 'Enter a full URL such as https://example.com/webhooks/payday.'],
      ['ftp://shop.example/hooks', 'The URL must start with https://.'],
      ['', 'Enter the URL of your webhook endpoint.'],
    ] as const) {
      const res = await b.post('/webhooks', { url });
      expect(res.status).toBe(400);
      expect(text(res.html)).toContain(message);
      expect(res.html).toContain('aria-invalid="true"');
    }
    expect(await endpointCount()).toBe(before);
  });

  it('lists delivery attempts and resends one', async () => {
    const { endpointId, deliveryId, eventId } = await stack.createDelivery('https://shop.example/hooks');
    const page = await b.get(`/webhooks/${endpointId}`);
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain(eventId);
    expect(text(page.html)).toContain('HTTP 500');
    expect(await stack.deliveryJobs(eventId, endpointId)).not.toContain('queued');
    const res = await b.post(`/webhooks/${endpointId}/deliveries/${deliveryId}/resend`, {});
    expect(res.status).toBe(303);
    expect(text((await b.follow(res)).html)).toContain('The event was queued for delivery again.');
    expect(await stack.deliveryJobs(eventId, endpointId)).toContain('queued');
    const queued = (await stack.deliveryJobs(eventId, endpointId)).filter((s) => s === 'queued').length;
    // Resending again while that delivery waits adds nothing and says so.
    const again = await b.post(`/webhooks/${endpointId}/deliveries/${deliveryId}/resend`, {});
    expect(text((await b.follow(again)).html)).toContain('A delivery of this event is already queued');
    expect((await stack.deliveryJobs(eventId, endpointId)).filter((s) => s === 'queued')).toHaveLength(
      queued,
    );
  });

  it('rejects a resend without the CSRF token and queues nothing', async () => {
    const { endpointId, deliveryId, eventId } = await stack.createDelivery('https://shop.example/other');
    await b.get(`/webhooks/${endpointId}`);
    const before = await stack.deliveryJobs(eventId, endpointId);
    const res = await b.post(`/webhooks/${endpointId}/deliveries/${deliveryId}/resend`, { _csrf: 'forged' });
    expect(res.status).toBe(403);
    expect(await stack.deliveryJobs(eventId, endpointId)).toEqual(before);
  });

  it('answers 404 for an endpoint that does not exist', async () => {
    expect((await b.get('/webhooks/we_doesnotexist')).status).toBe(404);
  });
});
