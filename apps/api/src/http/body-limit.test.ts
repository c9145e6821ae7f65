import { openTestDatabase } from '@payday/db/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../config.js';
import { type RunningApi, start } from '../server.js';
import { createMerchant } from '../services/merchants.js';

/**
 * The body limit over real HTTP (the in-process `app.request()` tests take the counting path
 * only): a declared Content-Length is judged from the header, a chunked body as it arrives.
 */
describe('body limit over HTTP', () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let api: RunningApi;
  let key: string;
  const LIMIT = 1024;
  beforeAll(async () => {
    t = await openTestDatabase();
    key = (await createMerchant(t, { name: 'Body limit' })).apiKey.secret;
    const env = loadEnv({
      DATABASE_URL: t.test.url,
      API_PORT: '0',
      LOG_LEVEL: 'silent',
      BODY_LIMIT_BYTES: String(LIMIT),
    });
    api = await start({ env, logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await api.close();
    await t.cleanup();
  });

  const payments = async () => (await t.sql`select count(*)::int as n from payments`)[0]!.n as number;
  /** A payment body of exactly `bytes` bytes (the description pads it). */
  const body = (bytes: number) => {
    const bare = JSON.stringify({ amount: 100, currency: 'usd', description: '' });
    return JSON.stringify({ amount: 100, currency: 'usd', description: 'x'.repeat(bytes - bare.length) });
  };
  const post = (payload: string, chunked: boolean) =>
    fetch(`${api.url}/v1/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      // A stream has no length up front: fetch sends it with Transfer-Encoding: chunked.
      body: chunked
        ? new ReadableStream({
            start(controller) {
              const bytes = new TextEncoder().encode(payload);
              for (let i = 0; i < bytes.length; i += 64) controller.enqueue(bytes.subarray(i, i + 64));
              controller.close();
            },
          })
        : payload,
      ...(chunked ? { duplex: 'half' } : {}),
    } as RequestInit);

  for (const chunked of [false, true]) {
    const how = chunked ? 'chunked' : 'with Content-Length';
    it(`${how}: a body of exactly the limit is served`, async () => {
      const before = await payments();
      const res = await post(body(LIMIT), chunked);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ object: 'payment', amount: 100 });
      expect(await payments()).toBe(before + 1);
    });

    it(`${how}: one byte over the limit is 413 and writes nothing`, async () => {
      const before = await payments();
      const res = await post(body(LIMIT + 1), chunked);
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({
        error: {
          type: 'invalid_request_error',
          code: 'body_too_large',
          message: 'The request body is too large.',
        },
      });
      expect(await payments()).toBe(before);
    });
  }
});
