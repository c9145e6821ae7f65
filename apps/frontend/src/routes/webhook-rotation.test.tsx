import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardClient, text } from '../testing/dashboard-client.js';
import { startTestStack, type TestStack } from '../testing/stack.js';

describe('rotating a webhook signing secret from the dashboard', () => {
  let stack: TestStack;
  let b: DashboardClient;
  beforeAll(async () => {
    stack = await startTestStack();
    b = new DashboardClient(stack.app);
    await b.signIn(stack.merchant.email, stack.merchant.password);
  });
  afterAll(() => stack?.close());

  async function endpoint() {
    const res = await stack.api('/v1/webhook_endpoints', {
      method: 'POST',
      body: JSON.stringify({ url: 'https://shop.example/rotate' }),
    });
    return (await res.json()) as { id: string; secret: string };
  }
  const secrets = async (id: string) => {
    const [row] = await stack.database.sql`
      select secret, previous_secret,
             -- The rotation sets both from one transaction's now(): the overlap, exactly.
             extract(epoch from previous_secret_expires_at - updated_at)::int as overlap
        from webhook_endpoints where id = ${id}`;
    return row!;
  };

  it('shows the new secret once and says until when the old one signs', async () => {
    const ep = await endpoint();
    const page = await b.get(`/webhooks/${ep.id}`);
    expect(text(page.html)).toContain('Deliveries are signed with one secret.');
    // 24 hours is preselected.
    expect(page.html).toMatch(/<option value="86400" selected="">24 hours<\/option>/);
    const res = await b.post(`/webhooks/${ep.id}/rotate-secret`, { overlap: '3600' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const shown = /<code id="secret-value">(whsec_[\w-]+)<\/code>/.exec(res.html)![1]!;
    const row = await secrets(ep.id);
    expect(row).toMatchObject({ secret: shown, previous_secret: ep.secret });
    expect(row.overlap).toBe(3600);
    expect(text(res.html)).toMatch(
      /New signing secret created\. The previous secret keeps signing until .+ UTC\./,
    );
    expect(text(res.html)).toContain(
      'Rotation in progress: deliveries carry a signature with the new secret',
    );

    const later = await b.get(`/webhooks/${ep.id}`);
    expect(later.html).not.toContain('whsec_');
    expect(text(later.html)).toContain('Rotation in progress');
  });

  it('retires the old secret at once when asked to', async () => {
    const ep = await endpoint();
    await b.get(`/webhooks/${ep.id}`);
    const res = await b.post(`/webhooks/${ep.id}/rotate-secret`, { overlap: '0' });
    expect(text(res.html)).toContain('New signing secret created. The previous secret no longer signs.');
    expect(await secrets(ep.id)).toMatchObject({ previous_secret: null, overlap: null });
  });

  it('rotates once when the same form is submitted twice', async () => {
    const ep = await endpoint();
    await b.get(`/webhooks/${ep.id}`);
    const key = /name="idempotency_key" value="([^"]+)"/.exec(b.lastHtml)![1]!;
    const one = await b.post(`/webhooks/${ep.id}/rotate-secret`, { overlap: '86400', idempotency_key: key });
    const two = await b.post(`/webhooks/${ep.id}/rotate-secret`, { overlap: '86400', idempotency_key: key });
    const secretOf = (html: string) => /<code id="secret-value">(whsec_[\w-]+)<\/code>/.exec(html)![1];
    expect(secretOf(two.html)).toBe(secretOf(one.html));
    expect(await secrets(ep.id)).toMatchObject({ secret: secretOf(one.html), previous_secret: ep.secret });
  });

  it('refuses an overlap that is not offered, and a forged form, and changes nothing', async () => {
    const ep = await endpoint();
    await b.get(`/webhooks/${ep.id}`);
    const before = await secrets(ep.id);
    for (const overlap of ['999999999', '', '-1']) {
      const res = await b.post(`/webhooks/${ep.id}/rotate-secret`, { overlap });
      expect(res.status).toBe(400);
      expect(text(res.html)).toContain('Choose how long the current secret keeps signing from the list.');
      expect(res.html).toContain('aria-invalid="true"');
      expect(res.html).not.toContain('secret-value');
    }
    const forged = await b.post(`/webhooks/${ep.id}/rotate-secret`, { overlap: '3600', _csrf: 'forged' });
    expect(forged.status).toBe(403);
    expect(await secrets(ep.id)).toEqual(before);
    expect((await b.post('/webhooks/we_doesnotexist/rotate-secret', { overlap: '3600' })).status).toBe(404);
  });
});
