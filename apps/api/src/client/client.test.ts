import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, readJson, type TestApi } from '../testing/harness.js';
import { renderClientTypes, SCHEMA_FILE } from './generate.js';
import { createPaydayClient } from './index.js';

describe('typed client', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
  });
  afterAll(async () => api.close());

  it('the committed types match the document the API serves (run `npm run generate:client -w apps/api`)', async () => {
    const served = await readJson(await api.call('GET', '/openapi.json'));
    expect(served.openapi).toBe('3.1.0');
    expect(await renderClientTypes(served)).toBe(await readFile(SCHEMA_FILE, 'utf8'));
  });

  it('calls the app in-process with a custom fetch: create, list, refund, error shape', async () => {
    const { apiKey } = await api.merchant('Client Co');
    const payday = createPaydayClient({
      baseUrl: 'http://payday.test',
      token: apiKey.secret,
      fetch: (request) => Promise.resolve(api.app.request(request)),
    });
    const created = await payday.POST('/v1/payments', {
      params: { header: { 'idempotency-key': 'client-1' } },
      body: { amount: 1500, currency: 'gbp' },
    });
    expect(created.data?.status).toBe('pending');
    await api.settle(created.data!.id);
    const list = await payday.GET('/v1/payments', { params: { query: { limit: 5 } } });
    expect(list.data?.data.map((p) => p.id)).toEqual([created.data!.id]);
    const refund = await payday.POST('/v1/refunds', { body: { payment: created.data!.id, amount: 500 } });
    expect(refund.data).toMatchObject({ amount: 500, currency: 'gbp', payment: created.data!.id });
    const missing = await payday.GET('/v1/payments/{id}', { params: { path: { id: 'pay_doesnotexist' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: "No such payment: 'pay_doesnotexist'",
      },
    });
  });
});
