import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, readJson, type TestApi } from '../testing/harness.js';

/** Every malformed request gets the exact error and writes nothing (rows counted before/after). */
describe('bad input', () => {
  let api: TestApi;
  let key: string;
  const tables = [
    'payments',
    'refunds',
    'events',
    'jobs',
    'idempotency_keys',
    'ledger_entries',
    'webhook_endpoints',
  ];
  beforeAll(async () => {
    api = await createTestApi();
    key = (await api.merchant()).apiKey.secret;
  });
  afterAll(async () => api.close());

  async function counts() {
    return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await api.count(t)])));
  }

  async function expectRejected(
    request: {
      path?: string;
      body?: unknown;
      raw?: string;
      token?: string | null;
      headers?: Record<string, string>;
    },
    status: number,
    error: Record<string, string>,
  ) {
    const before = await counts();
    const res = await api.call('POST', request.path ?? '/v1/payments', {
      token: request.token === null ? undefined : (request.token ?? key),
      ...(request.raw === undefined ? { body: request.body } : { raw: request.raw }),
      headers: { 'idempotency-key': `bad-${Math.random()}`, ...request.headers },
    });
    expect(res.status).toBe(status);
    expect((await readJson(res)).error).toEqual(error);
    expect(await counts()).toEqual(before);
  }

  const invalid = (param: string, message: string) => ({
    type: 'invalid_request_error',
    code: 'parameter_invalid',
    param,
    message,
  });

  it('malformed JSON', () =>
    expectRejected({ raw: '{"amount": 100,' }, 400, {
      type: 'invalid_request_error',
      code: 'body_malformed',
      message: 'The request body is not valid JSON.',
    }));

  it('a JSON array instead of an object', () =>
    expectRejected({ body: [1, 2] }, 400, {
      type: 'invalid_request_error',
      code: 'parameter_invalid',
      message: 'The request body must be a JSON object: Invalid input: expected object, received array',
    }));

  it('a missing field', () =>
    expectRejected({ body: { currency: 'usd' } }, 400, {
      type: 'invalid_request_error',
      code: 'parameter_missing',
      param: 'amount',
      message: 'Missing required param: amount.',
    }));

  it('a wrong type', () =>
    expectRejected(
      { body: { amount: '100', currency: 'usd' } },
      400,
      invalid('amount', 'Invalid amount: Invalid input: expected number, received string'),
    ));

  it('a negative amount', () =>
    expectRejected(
      { body: { amount: -5, currency: 'usd' } },
      400,
      invalid('amount', 'Invalid amount: Too small: expected number to be >0'),
    ));

  it('a zero amount', () =>
    expectRejected(
      { body: { amount: 0, currency: 'usd' } },
      400,
      invalid('amount', 'Invalid amount: Too small: expected number to be >0'),
    ));

  it('a fractional amount', () =>
    expectRejected(
      { body: { amount: 10.5, currency: 'usd' } },
      400,
      invalid('amount', 'Invalid amount: Invalid input: expected int, received number'),
    ));

  it('a too large amount', () =>
    expectRejected(
      { body: { amount: 100_000_000, currency: 'usd' } },
      400,
      invalid('amount', 'Invalid amount: must be at most 99999999'),
    ));

  it('a three-decimal amount not ending in 0', () =>
    expectRejected(
      { body: { amount: 1005, currency: 'kwd' } },
      400,
      invalid('amount', 'Invalid amount: must end in 0 for the three-decimal currency kwd'),
    ));

  it('an unknown currency', async () => {
    const before = await counts();
    const res = await api.json('POST', '/v1/payments', {
      token: key,
      body: { amount: 100, currency: 'xyz' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'parameter_invalid', param: 'currency' });
    expect(res.body.error.message).toMatch(/^Invalid currency: Invalid option: expected one of "aud"\|"bhd"/);
    expect(await counts()).toEqual(before);
  });

  it('an unknown parameter', () =>
    expectRejected({ body: { amount: 100, currency: 'usd', amont: 1 } }, 400, {
      type: 'invalid_request_error',
      code: 'parameter_unknown',
      param: 'amont',
      message: 'Received unknown parameter: amont',
    }));

  it('a nested bad field is named by its path', () =>
    expectRejected(
      { body: { amount: 100, currency: 'usd', metadata: { order: 7 } } },
      400,
      invalid('metadata.order', 'Invalid metadata.order: Invalid input: expected string, received number'),
    ));

  it('an oversized body', () =>
    expectRejected({ body: { amount: 100, currency: 'usd', description: 'x'.repeat(70_000) } }, 413, {
      type: 'invalid_request_error',
      code: 'body_too_large',
      message: 'The request body is too large.',
    }));

  it('a body that is not JSON', () =>
    expectRejected(
      { raw: 'amount=100', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      {
        type: 'invalid_request_error',
        code: 'unsupported_media_type',
        message: 'Send the request body as application/json.',
      },
    ));

  it('no Authorization header', () =>
    expectRejected({ body: { amount: 100, currency: 'usd' }, token: null }, 401, {
      type: 'invalid_request_error',
      code: 'api_key_missing',
      message:
        'You did not provide an API key. Send it in the Authorization header: `Authorization: Bearer sk_test_…`.',
    }));

  it('a malformed Authorization header', () =>
    expectRejected(
      {
        body: { amount: 100, currency: 'usd' },
        token: null,
        headers: { authorization: 'Basic Zm9vOmJhcg==' },
      },
      401,
      {
        type: 'invalid_request_error',
        code: 'authorization_malformed',
        message: 'The Authorization header must be `Bearer <API key>`.',
      },
    ));

  it('a wrong API key (never echoed in full)', () =>
    expectRejected(
      { body: { amount: 100, currency: 'usd' }, token: `${key.slice(0, 20)}${'0'.repeat(28)}` },
      401,
      {
        type: 'invalid_request_error',
        code: 'api_key_invalid',
        message: `Invalid API key provided: ${key.slice(0, 16)}…`,
      },
    ));

  it('a refund with a bad payment id', () =>
    expectRejected(
      { path: '/v1/refunds', body: { payment: 'charge_1' } },
      400,
      invalid('payment', 'Invalid payment: must be an id starting with pay_'),
    ));

  it('a webhook endpoint with a non-http URL', () =>
    expectRejected(
      { path: '/v1/webhook_endpoints', body: { url: 'ftp://example.com/hook' } },
      400,
      invalid('url', 'Invalid url: must be an http(s) URL'),
    ));

  it('pagination parameters out of range', async () => {
    for (const [query, param, message] of [
      ['limit=0', 'limit', 'Invalid limit: Too small: expected number to be >=1'],
      ['limit=101', 'limit', 'Invalid limit: Too big: expected number to be <=100'],
      ['starting_after=re_1', 'starting_after', 'Invalid starting_after: must be an id starting with pay_'],
    ] as const) {
      const res = await api.json('GET', `/v1/payments?${query}`, { token: key });
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual(invalid(param, message));
    }
  });

  it('an unknown route', async () => {
    const res = await api.json('GET', '/v1/charges', { token: key });
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: 'Unrecognized request URL (GET: /v1/charges).',
    });
  });
});
