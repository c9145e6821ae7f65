import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../testing/harness.js';
import { createLogger } from './logger.js';

/**
 * Seeds secrets, drives the requests that fail (database errors mid-insert, wrong credentials,
 * bad input), and searches every log line the API wrote. A failed insert used to log every
 * bound value: the endpoint's new `whsec_…` secret and the merchant's metadata.
 */
describe('logs cannot leak secrets or query values', () => {
  let api: TestApi;
  const lines: string[] = [];
  let key: string;
  let session: string;
  const password = 'pw-do-not-log-3f9a';
  const metadataValue = 'meta-do-not-log-7c21';
  const description = 'desc-do-not-log-91bd';
  const email = 'owner-do-not-log@leak.test';

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    api = await createTestApi({ logger: createLogger({ level: 'trace', version: 'test', destination }) });
    key = (await api.merchant('Leak Test', { email, password })).apiKey.secret;
    session = (await api.json('POST', '/v1/dashboard/login', { body: { email, password } })).body.token;
    // Failures PostgreSQL reports with the whole row in `detail`, as any unforeseen constraint would.
    await api.database
      .sql`alter table webhook_endpoints add constraint leak_probe check (url not like '%fail%')`;
    await api.database.sql.unsafe(
      `alter table payments add constraint leak_probe check (description is distinct from '${description}')`,
    );
  });
  afterAll(async () => api.close());

  it('a failed endpoint insert logs the error without the new signing secret', async () => {
    const res = await api.json('POST', '/v1/webhook_endpoints', {
      token: key,
      body: { url: 'https://shop.example/fail', description },
    });
    expect(res.status).toBe(500);
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.message === 'unhandled error');
    // The diagnosis survives: the SQLSTATE and the constraint, on the error's cause.
    expect(logged.err.cause).toMatchObject({ code: '23514', constraint_name: 'leak_probe' });
    expect(logged.err.message).toContain('params: [redacted]');
  });

  it('a failed payment insert logs neither the metadata nor the description', async () => {
    const res = await api.json('POST', '/v1/payments', {
      token: key,
      body: { amount: 100, currency: 'usd', description, metadata: { note: metadataValue } },
    });
    expect(res.status).toBe(500);
  });

  it('credentials in failed and successful requests stay out of the logs', async () => {
    const statuses = [
      (await api.call('GET', '/v1/balance', { token: key })).status,
      (await api.call('GET', '/v1/balance', { token: session })).status,
      (await api.call('GET', '/v1/balance', { token: `${key.slice(0, 20)}${'x'.repeat(28)}` })).status,
      (await api.call('GET', '/v1/balance', { headers: { authorization: `Basic ${key}` } })).status,
      (await api.call('POST', '/v1/dashboard/login', { body: { email, password: `${password}-wrong` } }))
        .status,
      (await api.call('POST', '/v1/payments', { token: key, raw: `{"amount": "${key}"` })).status,
    ];
    expect(statuses).toEqual([200, 200, 401, 401, 401, 400]);
  });

  it('no line holds a secret shape or a seeded value', () => {
    expect(lines.length).toBeGreaterThan(8);
    const text = lines.join('\n');
    for (const secret of [key, key.slice(16), session, password, metadataValue, description, email]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/whsec_(?!\[redacted\])/);
    expect(text).not.toMatch(/sk_test_[0-9a-z]{9}/);
    expect(text).not.toMatch(/dst_(?!\[redacted\])/);
  });
});
