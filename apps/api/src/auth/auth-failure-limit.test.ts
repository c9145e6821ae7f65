import { openTestDatabase } from '@payday/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../config.js';
import { RateLimiter } from '../http/rate-limit.js';
import { type RunningApi, start } from '../server.js';
import { createMerchant } from '../services/merchants.js';
import { createTestApi } from '../testing/harness.js';

/**
 * Failed authentication is limited per client address, before the credential lookup. It used
 * to be limited only per credential, after the lookup: 300 wrong keys got 300 × 401 and cost 300
 * database queries.
 */
describe('failed authentication, per client address (real HTTP on loopback)', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let api: RunningApi;
  let key: string;
  beforeAll(async () => {
    database = await openTestDatabase();
    key = (await createMerchant(database, { name: 'Guarded' })).apiKey.secret;
    api = await start({
      env: loadEnv({
        DATABASE_URL: database.test.url,
        API_PORT: '0',
        LOG_LEVEL: 'silent',
        AUTH_FAILURES_PER_MINUTE: '30',
      }),
      database,
      // Time stands still, so no token refills while the loop runs, however slow the machine.
      clock: () => 0,
    });
  });
  afterAll(async () => {
    await api?.close();
    await database?.cleanup();
  });

  const get = (token: string) =>
    fetch(`${api.url}/v1/balance`, { headers: { authorization: `Bearer ${token}` } });

  it('300 wrong keys: 30 × 401, then 429 with Retry-After, no lookup, and valid keys wait too', async () => {
    const statuses = new Map<number, number>();
    let retryAfter: string | null = null;
    for (let i = 0; i < 300; i++) {
      const res = await get(`sk_test_${String(i).padStart(40, '0')}`);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
      await res.arrayBuffer();
    }
    expect(Object.fromEntries(statuses)).toEqual({ 401: 30, 429: 270 });
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);

    // Proof that a limited request never reaches the database: with the table gone, a lookup
    // would be a 500; the answer is still the 429.
    await database.sql`alter table api_keys rename to api_keys_away`;
    try {
      const limited = await get(key);
      expect(limited.status).toBe(429);
      expect(await limited.json()).toEqual({
        error: {
          type: 'rate_limit_error',
          code: 'rate_limit',
          message: 'Too many failed authentication attempts from this address. Retry later.',
        },
      });
    } finally {
      await database.sql`alter table api_keys_away rename to api_keys`;
    }
  });
});

describe('failed authentication, in-process', () => {
  it('successes spend nothing; addresses behind a trusted proxy are told apart', async () => {
    let now = 0;
    const api = await createTestApi({
      authFailureLimiter: new RateLimiter(2 / 60, 2, () => now),
      trustProxy: true,
    });
    try {
      const key = (await api.merchant()).apiKey.secret;
      const from = (address: string, token: string) =>
        api.call('GET', '/v1/balance', {
          token,
          headers: { 'x-forwarded-for': `198.51.100.1, ${address}` },
        });
      for (let i = 0; i < 5; i++) expect((await from('203.0.113.1', key)).status).toBe(200);
      expect((await from('203.0.113.1', 'sk_test_wrong')).status).toBe(401);
      expect((await from('203.0.113.1', 'sk_test_wrong')).status).toBe(401);
      const limited = await from('203.0.113.1', key);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('30');
      // The left-most entry is whatever the client wrote; only the proxy's own entry counts.
      expect((await from('203.0.113.2', key)).status).toBe(200);
      now += 30_000;
      expect((await from('203.0.113.1', key)).status).toBe(200);
      // A revoked key is a real credential, not a guess: its refusals spend nothing.
      const revoked = (await api.json('POST', '/v1/api_keys', { token: key, body: {} })).body;
      await api.call('POST', `/v1/api_keys/${revoked.id}/revoke`, { token: key });
      for (let i = 0; i < 5; i++) expect((await from('203.0.113.4', revoked.secret)).status).toBe(401);
      expect((await from('203.0.113.4', key)).status).toBe(200);
    } finally {
      await api.close();
    }
  });
});
