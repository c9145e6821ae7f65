import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../testing/harness.js';

/**
 * POST /v1/webhook_endpoints/{id}/rotate_secret. What the worker then signs with is tested in
 * apps/worker (src/api-roundtrip.test.ts), against this API over HTTP.
 */
describe('webhook secret rotation', () => {
  let api: TestApi;
  let key: string;
  beforeAll(async () => {
    api = await createTestApi();
    key = (await api.merchant()).apiKey.secret;
  });
  afterAll(async () => api.close());

  const create = async () =>
    (await api.json('POST', '/v1/webhook_endpoints', { token: key, body: { url: 'https://shop.example/h' } }))
      .body as { id: string; secret: string; previous_secret_expires_at: string | null };
  const stored = async (id: string) => {
    const [row] = await api.database.sql`
      select secret, previous_secret, previous_secret_expires_at,
             floor(extract(epoch from previous_secret_expires_at) * 1000)::float8 as expires_ms,
             -- The rotation sets both from one transaction's now(): the overlap, exactly.
             extract(epoch from previous_secret_expires_at - updated_at)::int as overlap
        from webhook_endpoints where id = ${id}`;
    return row!;
  };

  it('returns a new secret once and keeps the old one signing for the overlap (default 24 h)', async () => {
    const ep = await create();
    expect(ep.previous_secret_expires_at).toBeNull();
    const res = await api.json('POST', `/v1/webhook_endpoints/${ep.id}/rotate_secret`, { token: key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: ep.id, object: 'webhook_endpoint', status: 'enabled' });
    expect(res.body.secret).toMatch(/^whsec_/);
    expect(res.body.secret).not.toBe(ep.secret);
    const row = await stored(ep.id);
    expect(row).toMatchObject({ secret: res.body.secret, previous_secret: ep.secret });
    expect(row.overlap).toBe(86_400);
    expect(Date.parse(res.body.previous_secret_expires_at)).toBe(row.expires_ms);

    // Later reads show the overlap but never a secret.
    const got = await api.json('GET', `/v1/webhook_endpoints/${ep.id}`, { token: key });
    expect(got.body.secret).toBeUndefined();
    expect(got.body.previous_secret_expires_at).toBe(res.body.previous_secret_expires_at);
    const listed = await api.json('GET', '/v1/webhook_endpoints', { token: key });
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
  });

  it('takes the overlap from expires_in_seconds; 0 retires the old secret at once', async () => {
    const ep = await create();
    const hour = await api.json('POST', `/v1/webhook_endpoints/${ep.id}/rotate_secret`, {
      token: key,
      body: { expires_in_seconds: 3600 },
    });
    expect((await stored(ep.id)).overlap).toBe(3600);

    // A second rotation keeps two secrets at most: the first one stops signing now.
    const again = await api.json('POST', `/v1/webhook_endpoints/${ep.id}/rotate_secret`, {
      token: key,
      body: { expires_in_seconds: 600 },
    });
    expect(await stored(ep.id)).toMatchObject({
      secret: again.body.secret,
      previous_secret: hour.body.secret,
    });

    const now = await api.json('POST', `/v1/webhook_endpoints/${ep.id}/rotate_secret`, {
      token: key,
      body: { expires_in_seconds: 0 },
    });
    expect(now.body.previous_secret_expires_at).toBeNull();
    expect(await stored(ep.id)).toMatchObject({
      secret: now.body.secret,
      previous_secret: null,
      previous_secret_expires_at: null,
    });
  });

  it('shows no overlap once it has ended', async () => {
    const ep = await create();
    await api.json('POST', `/v1/webhook_endpoints/${ep.id}/rotate_secret`, { token: key });
    await api.database.sql`
      update webhook_endpoints set previous_secret_expires_at = now() - interval '1 second' where id = ${ep.id}`;
    const got = await api.json('GET', `/v1/webhook_endpoints/${ep.id}`, { token: key });
    expect(got.body.previous_secret_expires_at).toBeNull();
  });

  it('replays an idempotent retry with the same secret instead of rotating twice', async () => {
    const ep = await create();
    const headers = { 'idempotency-key': 'rotate-1' };
    const one = await api.json('POST', `/v1/webhook_endpoints/${ep.id}/rotate_secret`, {
      token: key,
      headers,
    });
    const two = await api.json('POST', `/v1/webhook_endpoints/${ep.id}/rotate_secret`, {
      token: key,
      headers,
    });
    expect(two.headers.get('idempotent-replayed')).toBe('true');
    expect(two.body).toEqual(one.body);
    expect(await stored(ep.id)).toMatchObject({ secret: one.body.secret, previous_secret: ep.secret });
  });

  it('refuses a bad overlap and an unknown field, and changes nothing', async () => {
    const ep = await create();
    const before = await stored(ep.id);
    for (const [body, message] of [
      [
        { expires_in_seconds: 7 * 24 * 3600 + 1 },
        'Invalid expires_in_seconds: Too big: expected number to be <=604800',
      ],
      [{ expires_in_seconds: -1 }, 'Invalid expires_in_seconds: Too small: expected number to be >=0'],
      [
        { expires_in_seconds: 1.5 },
        'Invalid expires_in_seconds: Invalid input: expected int, received number',
      ],
    ] as const) {
      const res = await api.json('POST', `/v1/webhook_endpoints/${ep.id}/rotate_secret`, {
        token: key,
        body,
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({
        type: 'invalid_request_error',
        code: 'parameter_invalid',
        message,
        param: 'expires_in_seconds',
      });
    }
    const unknown = await api.json('POST', `/v1/webhook_endpoints/${ep.id}/rotate_secret`, {
      token: key,
      body: { secret: 'whsec_mine' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('parameter_unknown');
    expect(await stored(ep.id)).toEqual(before);
  });

  it("answers 404 for an unknown endpoint or another merchant's, and rotates nothing", async () => {
    const ep = await create();
    const before = await stored(ep.id);
    const other = (await api.merchant('Other')).apiKey.secret;
    const theirs = await api.json('POST', `/v1/webhook_endpoints/${ep.id}/rotate_secret`, { token: other });
    expect(theirs.status).toBe(404);
    expect(theirs.body.error.message).toBe(`No such webhook_endpoint: '${ep.id}'`);
    const missing = await api.json('POST', '/v1/webhook_endpoints/we_0000000000/rotate_secret', {
      token: key,
    });
    expect(missing.status).toBe(404);
    expect(await stored(ep.id)).toEqual(before);
  });
});
