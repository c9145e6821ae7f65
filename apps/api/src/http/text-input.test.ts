import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, readJson, type TestApi } from '../testing/harness.js';

/**
 * Text PostgreSQL cannot store (U+0000, a lone UTF-16 surrogate) is a 400 naming the field on
 * every text input, and writes nothing; it used to reach the database and come back as a 500.
 */
describe('text the database cannot store', () => {
  let api: TestApi;
  let key: string;
  let paymentId: string;
  let endpointId: string;
  const tables = [
    'payments',
    'refunds',
    'events',
    'jobs',
    'idempotency_keys',
    'webhook_endpoints',
    'api_keys',
  ];
  beforeAll(async () => {
    api = await createTestApi();
    key = (await api.merchant()).apiKey.secret;
    paymentId = (
      await api.json('POST', '/v1/payments', { token: key, body: { amount: 500, currency: 'usd' } })
    ).body.id;
    await api.settle(paymentId);
    endpointId = (
      await api.json('POST', '/v1/webhook_endpoints', {
        token: key,
        body: { url: 'https://shop.example/hooks' },
      })
    ).body.id;
  });
  afterAll(async () => api.close());

  const counts = async () =>
    Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await api.count(t)])));

  // JSON escapes, so the request body carries exactly these code units.
  const NUL = '\\u0000';
  const SURROGATE = '\\ud800';
  const nulMessage = 'contains a NUL character (U+0000), which is not allowed in text';
  const surrogateMessage = 'contains an unpaired UTF-16 surrogate, which is not valid Unicode';

  const bodies: [string, string, (bad: string) => string, string][] = [
    [
      '/v1/payments',
      'description',
      (b) => `{"amount":100,"currency":"usd","description":"a${b}b"}`,
      'description',
    ],
    [
      '/v1/payments',
      'metadata value',
      (b) => `{"amount":100,"currency":"usd","metadata":{"k":"${b}"}}`,
      'metadata.k',
    ],
    [
      '/v1/payments',
      'metadata key',
      (b) => `{"amount":100,"currency":"usd","metadata":{"k${b}":"v"}}`,
      'metadata',
    ],
    [
      '/v1/payments',
      'customer_reference',
      (b) => `{"amount":100,"currency":"usd","customer_reference":"${b}"}`,
      'customer_reference',
    ],
    [
      '/v1/refunds',
      'refund metadata',
      (b) => `{"payment":"PAYMENT","amount":1,"metadata":{"why":"x${b}"}}`,
      'metadata.why',
    ],
    [
      '/v1/webhook_endpoints',
      'endpoint description',
      (b) => `{"url":"https://shop.example/h","description":"${b}"}`,
      'description',
    ],
    [
      '/v1/webhook_endpoints/ENDPOINT',
      'endpoint description (update)',
      (b) => `{"description":"${b}"}`,
      'description',
    ],
    ['/v1/api_keys', 'API key name', (b) => `{"name":"ci${b}"}`, 'name'],
  ];

  for (const [path, what, body, param] of bodies) {
    for (const [bad, message] of [
      [NUL, nulMessage],
      [SURROGATE, surrogateMessage],
    ] as const) {
      it(`${what}: ${bad === NUL ? 'NUL' : 'lone surrogate'} → 400 param ${param}, nothing written`, async () => {
        const before = await counts();
        const res = await api.call('POST', path.replace('ENDPOINT', endpointId), {
          token: key,
          raw: body(bad).replace('PAYMENT', paymentId),
          headers: { 'idempotency-key': `text-${Math.random()}` },
        });
        expect(res.status).toBe(400);
        const expected =
          param === 'metadata' ? `Invalid metadata: a key ${message}` : `Invalid ${param}: ${message}`;
        expect((await readJson(res)).error).toEqual({
          type: 'invalid_request_error',
          code: 'parameter_invalid',
          message: expected,
          param,
        });
        expect(await counts()).toEqual(before);
      });
    }
  }

  it('the endpoint description was left as it was', async () => {
    const ep = await api.json('GET', `/v1/webhook_endpoints/${endpointId}`, { token: key });
    expect(ep.body.description).toBeNull();
  });

  for (const [query, param, message] of [
    ['type=payment.%00', 'type', nulMessage],
    ['object_id=pay_%00', 'object_id', nulMessage],
    // U+D800 written as UTF-8 bytes is not valid UTF-8, so it never decodes to a lone
    // surrogate: the route sees the raw text and simply finds no such event type.
    ['type=%ED%A0%80', 'type', undefined],
  ] as const) {
    it(`GET /v1/events?${query} answers without a 5xx`, async () => {
      const res = await api.json('GET', `/v1/events?${query}`, { token: key });
      if (message) {
        expect(res.status).toBe(400);
        expect(res.body.error).toEqual({
          type: 'invalid_request_error',
          code: 'parameter_invalid',
          message: `Invalid ${param}: ${message}`,
          param,
        });
      } else {
        expect(res.status).toBeLessThan(500);
      }
    });
  }

  it('well-formed text outside the BMP (a surrogate pair) is stored as sent', async () => {
    const res = await api.json('POST', '/v1/payments', {
      token: key,
      body: { amount: 100, currency: 'usd', description: 'beans ☕ 🫘', metadata: { emoji: '🫘' } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ description: 'beans ☕ 🫘', metadata: { emoji: '🫘' } });
  });
});
