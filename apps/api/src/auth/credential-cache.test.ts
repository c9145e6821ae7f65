import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../testing/harness.js';
import { CredentialCache, type Looked } from './credential-cache.js';

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

  it('shares one lookup among concurrent misses of a credential, keeps its result, shares a refusal', async () => {
    const cache = new CredentialCache(5_000);
    const started: string[] = [];
    const release: Record<string, () => void> = {};
    const load =
      (name: string, fail = false) =>
      () => {
        started.push(name);
        return new Promise<Looked>((resolve, reject) => {
          release[name] = () =>
            fail
              ? reject(new Error(`refused ${name}`))
              : resolve({ merchantId: 'acct_1', credential: { kind: 'api_key', id: name }, expiresAt: null });
        });
      };
    const waiting = [1, 2, 3].map(() => cache.lookUp('h1', load('key_1')));
    const other = cache.lookUp('h2', load('key_2', true));
    const otherAgain = cache.lookUp('h2', load('key_2b', true));
    expect(started).toEqual(['key_1', 'key_2']);
    release.key_1!();
    release.key_2!();
    expect((await Promise.all(waiting)).map((l) => l.credential.id)).toEqual(['key_1', 'key_1', 'key_1']);
    expect(cache.get('h1')?.credential.id).toBe('key_1');
    await expect(other).rejects.toThrow('refused key_2');
    await expect(otherAgain).rejects.toThrow('refused key_2');
    expect(cache.get('h2')).toBeUndefined();
    // Settled lookups are not joined again: the refused credential is looked up afresh.
    void cache.lookUp('h2', load('key_2c')).catch(() => {});
    expect(started).toEqual(['key_1', 'key_2', 'key_2c']);
  });

  it('neither joins nor keeps a lookup that began before an eviction', async () => {
    const cache = new CredentialCache(5_000);
    const release: Array<() => void> = [];
    const load = (id: string) => () =>
      new Promise<Looked>((resolve) => {
        release.push(() =>
          resolve({ merchantId: 'acct_1', credential: { kind: 'api_key', id }, expiresAt: null }),
        );
      });
    const before = cache.lookUp('h1', load('before'));
    cache.evict('some_other_key');
    const after = cache.lookUp('h1', load('after'));
    expect(release).toHaveLength(2);
    release[0]!();
    expect((await before).credential.id).toBe('before');
    expect(cache.get('h1')).toBeUndefined();
    release[1]!();
    expect((await after).credential.id).toBe('after');
    expect(cache.get('h1')?.credential.id).toBe('after');
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

  it('keeps no lookup that read the key while its revocation was still uncommitted', async () => {
    const owner = (await api.merchant('Window Ltd')).apiKey.secret;
    const extra = await api.json('POST', '/v1/api_keys', { token: owner, body: { name: 'window' } });
    const token = extra.body.secret as string;
    // Used once: cached, and `last_used_at` is fresh, so the lookup below writes nothing.
    expect((await api.call('GET', '/v1/balance', { token })).status).toBe(200);
    // Holds the revocation between its UPDATE and its COMMIT: a deferred trigger (it runs at
    // COMMIT, PostgreSQL docs, CREATE TRIGGER "INITIALLY DEFERRED") waits for an advisory lock
    // this test holds.
    const gate = await api.database.sql.reserve();
    await api.database.sql.unsafe(`
      create function hold_commit() returns trigger language plpgsql as $$
        begin perform pg_advisory_xact_lock(4242); return null; end $$;
      create constraint trigger hold_commit after update on api_keys
        deferrable initially deferred for each row execute function hold_commit();`);
    try {
      await gate`select pg_advisory_lock(4242)`;
      const revoking = api.json('POST', `/v1/api_keys/${extra.body.id}/revoke`, { token: owner });
      for (;;) {
        const [w] = await api.database.sql<{ n: number }[]>`
          select count(*)::int as n from pg_locks
           where locktype = 'advisory' and objid = 4242 and not granted
             and database = (select oid from pg_database where datname = current_database())`;
        if (w!.n > 0) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      // The revocation is written, not committed: the key still answers (from the cache now;
      // evicted before the commit, as it used to be, this lookup read the uncommitted state's
      // active key from the database and cached it again).
      expect((await api.call('GET', '/v1/balance', { token })).status).toBe(200);
      await gate`select pg_advisory_unlock(4242)`;
      expect((await revoking).body.revoked_at).not.toBeNull();
    } finally {
      gate.release();
      await api.database.sql.unsafe('drop trigger hold_commit on api_keys; drop function hold_commit()');
    }
    const after = await api.json('GET', '/v1/balance', { token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('api_key_revoked');
  });
});
