import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../testing/harness.js';
import { CredentialCache } from './credential-cache.js';

describe('CredentialCache', () => {
  it('trusts an entry for ttl, never past the credential expiry, and evicts by credential id', () => {
    let now = 1_000;
    const cache = new CredentialCache(5_000, () => now);
    cache.set('h1', 'acct_1', { kind: 'api_key', id: 'key_1' }, null);
    cache.set('h2', 'acct_1', { kind: 'api_key', id: 'key_2' }, new Date(2_000));
    expect(cache.get('h1')?.merchantId).toBe('acct_1');
    now = 2_000;
    expect(cache.get('h2')).toBeUndefined();
    expect(cache.get('h1')).toBeDefined();
    cache.evict('key_1');
    expect(cache.get('h1')).toBeUndefined();
    cache.set('h3', 'acct_1', { kind: 'api_key', id: 'key_3' }, null);
    now = 7_001;
    expect(cache.get('h3')).toBeUndefined();
  });
});

describe('credential cache in the app', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi({ credentialCacheMs: 60_000 });
  });
  afterAll(async () => api.close());

  it('serves repeat requests from the cache, but a revocation through the API applies at once', async () => {
    const owner = (await api.merchant()).apiKey.secret;
    const extra = await api.json('POST', '/v1/api_keys', { token: owner, body: { name: 'cached' } });
    expect((await api.call('GET', '/v1/balance', { token: extra.body.secret })).status).toBe(200);
    // Behind the API's back the row changes: the cached credential still answers (the window).
    await api.database.sql`update api_keys set name = 'renamed' where id = ${extra.body.id}`;
    await api.database.sql`delete from api_keys where id = ${extra.body.id}`;
    expect((await api.call('GET', '/v1/balance', { token: extra.body.secret })).status).toBe(200);
    const second = await api.json('POST', '/v1/api_keys', { token: owner, body: { name: 'second' } });
    expect((await api.call('GET', '/v1/balance', { token: second.body.secret })).status).toBe(200);
    await api.json('POST', `/v1/api_keys/${second.body.id}/revoke`, { token: owner });
    expect((await api.json('GET', '/v1/balance', { token: second.body.secret })).body.error.code).toBe(
      'api_key_revoked',
    );
  });
});
