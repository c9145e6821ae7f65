import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, readJson, type TestApi } from '../testing/harness.js';

describe('API keys and dashboard sessions', () => {
  let api: TestApi;
  let key: string;
  let keyId: string;
  beforeAll(async () => {
    api = await createTestApi();
    const m = await api.merchant('Keys Ltd', { email: 'Owner@Keys.test', password: 'correct horse battery' });
    key = m.apiKey.secret;
    keyId = m.apiKey.id;
  });
  afterAll(async () => api.close());

  it('stores only a prefix and a hash of each key', async () => {
    const [row] = await api.database.sql`select prefix, key_hash from api_keys where id = ${keyId}`;
    expect(row!.prefix).toBe(key.slice(0, 16));
    expect(Buffer.from(row!.key_hash).toString('hex')).not.toContain(Buffer.from(key).toString('hex'));
    const all = JSON.stringify(await api.database.sql`select * from api_keys`);
    expect(all).not.toContain(key);
  });

  it('accepts the Bearer scheme in any case and after several spaces (RFC 9110 §11.1)', async () => {
    for (const authorization of [`bearer ${key}`, `BEARER ${key}`, `BeArEr   ${key}`]) {
      const res = await api.call('GET', '/v1/balance', { headers: { authorization } });
      expect(res.status).toBe(200);
    }
    for (const authorization of [`Bearer${key}`, `Basic ${key}`, `Bearer ${key} extra`]) {
      const res = await api.json('GET', '/v1/balance', { headers: { authorization } });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('authorization_malformed');
    }
  });

  it('creates a key (secret shown once), lists keys without secrets, revokes', async () => {
    const created = await api.json('POST', '/v1/api_keys', { token: key, body: { name: 'ci' } });
    expect(created.body).toMatchObject({ object: 'api_key', name: 'ci', revoked_at: null });
    expect(created.body.secret).toMatch(/^sk_test_[0-9a-z]{40}$/);
    const list = await api.json('GET', '/v1/api_keys', { token: key });
    expect(list.body.data.map((k: { name: string }) => k.name)).toEqual(['ci', 'default']);
    expect(JSON.stringify(list.body)).not.toContain('secret');
    expect((await api.call('GET', '/v1/balance', { token: created.body.secret })).status).toBe(200);
    const revoked = await api.json('POST', `/v1/api_keys/${created.body.id}/revoke`, { token: key });
    expect(revoked.body.revoked_at).not.toBeNull();
    const refused = await api.json('GET', '/v1/balance', { token: created.body.secret });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('api_key_revoked');
    const twice = await api.json('POST', `/v1/api_keys/${created.body.id}/revoke`, { token: key });
    expect(twice.body.error).toMatchObject({ code: 'api_key_revoked', param: 'id' });
  });

  it('rolls a key: the new one works; the old one keeps working only through its grace period', async () => {
    const fresh = await api.json('POST', '/v1/api_keys', { token: key, body: { name: 'rolling' } });
    const rolled = await api.json('POST', `/v1/api_keys/${fresh.body.id}/roll`, {
      token: key,
      body: { expires_in_seconds: 3600 },
    });
    expect(rolled.body.name).toBe('rolling');
    expect(rolled.body.secret).not.toBe(fresh.body.secret);
    expect((await api.call('GET', '/v1/balance', { token: fresh.body.secret })).status).toBe(200);
    expect((await api.call('GET', '/v1/balance', { token: rolled.body.secret })).status).toBe(200);
    // The grace period ends: move its end into the past rather than waiting.
    await api.database
      .sql`update api_keys set expires_at = now() - interval '1 second' where id = ${fresh.body.id}`;
    const expired = await api.json('GET', '/v1/balance', { token: fresh.body.secret });
    expect(expired.body.error.code).toBe('api_key_expired');
    const immediate = await api.json('POST', `/v1/api_keys/${rolled.body.id}/roll`, { token: key, body: {} });
    expect((await api.json('GET', '/v1/balance', { token: rolled.body.secret })).body.error.code).toBe(
      'api_key_revoked',
    );
    expect((await api.call('GET', '/v1/balance', { token: immediate.body.secret })).status).toBe(200);
  });

  it('signs in to the dashboard with a session token that works like a key, until sign-out', async () => {
    const login = await api.json('POST', '/v1/dashboard/login', {
      body: { email: 'owner@keys.test', password: 'correct horse battery' },
    });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({
      object: 'dashboard_session',
      email: 'owner@keys.test',
      merchant_name: 'Keys Ltd',
    });
    expect(login.body.token).toMatch(/^dst_/);
    const hours = (Date.parse(login.body.expires_at) - Date.now()) / 3_600_000;
    expect(Math.round(hours)).toBe(12);
    const stored = await api.database.sql`select encode(token_hash, 'hex') as hash from dashboard_sessions`;
    expect(stored.map((s) => s.hash)).toEqual([createHash('sha256').update(login.body.token).digest('hex')]);
    const token = login.body.token;
    expect((await api.json('GET', '/v1/account', { token })).body).toMatchObject({
      object: 'account',
      name: 'Keys Ltd',
    });
    expect((await api.json('POST', '/v1/dashboard/logout', { token })).body).toMatchObject({ deleted: true });
    expect((await api.json('GET', '/v1/account', { token })).body.error.code).toBe('session_invalid');
  });

  it('refuses wrong passwords and unknown emails with the same error', async () => {
    for (const body of [
      { email: 'owner@keys.test', password: 'wrong' },
      { email: 'nobody@keys.test', password: 'correct horse battery' },
    ]) {
      const res = await api.json('POST', '/v1/dashboard/login', { body });
      expect(res.status).toBe(401);
      expect(res.body.error).toEqual({
        type: 'invalid_request_error',
        code: 'invalid_credentials',
        message: 'Incorrect email or password.',
      });
    }
    const before = await api.count('dashboard_sessions');
    const bad = await api.json('POST', '/v1/dashboard/login', {
      body: { email: 'not-an-email', password: 'x' },
    });
    expect(bad.body.error).toMatchObject({ code: 'parameter_invalid', param: 'email' });
    expect(await api.count('dashboard_sessions')).toBe(before);
  });

  it('refuses an expired session and sign-out with an API key', async () => {
    const login = await api.json('POST', '/v1/dashboard/login', {
      body: { email: 'owner@keys.test', password: 'correct horse battery' },
    });
    await api.database.sql`update dashboard_sessions set expires_at = now() - interval '1 second'`;
    expect((await api.json('GET', '/v1/account', { token: login.body.token })).body.error.code).toBe(
      'session_expired',
    );
    expect((await api.json('POST', '/v1/dashboard/logout', { token: key })).body.error.code).toBe(
      'not_a_session',
    );
  });

  it('rate-limits per credential with 429 and Retry-After', async () => {
    const limited = await createTestApi({ rateLimitPerSecond: 1 });
    try {
      const k = (await limited.merchant()).apiKey.secret;
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 3; i++) {
        last = await limited.call('GET', '/v1/balance', { token: k });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 429]);
      expect(last!.headers.get('retry-after')).toBe('1');
      expect((await readJson(last!)).error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit' });
    } finally {
      await limited.close();
    }
  });

  it("writes the key's last_used_at before answering, then at most once a minute", async () => {
    const created = await api.json('POST', '/v1/api_keys', { token: key, body: { name: 'touch' } });
    const lastUsed = async () =>
      (await api.database.sql`select last_used_at from api_keys where id = ${created.body.id}`)[0]!
        .last_used_at as string | null;
    expect(await lastUsed()).toBeNull();
    expect((await api.call('GET', '/v1/balance', { token: created.body.secret })).status).toBe(200);
    const first = await lastUsed();
    expect(first).toMatch(/^\d{4}-\d\d-\d\d /);
    expect((await api.call('GET', '/v1/balance', { token: created.body.secret })).status).toBe(200);
    expect(await lastUsed()).toEqual(first);
  });
});
