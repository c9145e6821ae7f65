import { webhookDeliveries } from '@payday/db/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../testing/harness.js';

describe('webhook endpoints', () => {
  let api: TestApi;
  let key: string;
  beforeAll(async () => {
    api = await createTestApi();
    key = (await api.merchant()).apiKey.secret;
  });
  afterAll(async () => api.close());

  it('CRUD: the signing secret is returned once; events fan out to subscribed endpoints only', async () => {
    const all = await api.json('POST', '/v1/webhook_endpoints', {
      token: key,
      body: { url: 'https://shop.example/hooks' },
    });
    expect(all.body).toMatchObject({
      object: 'webhook_endpoint',
      url: 'https://shop.example/hooks',
      enabled_events: ['*'],
      status: 'enabled',
    });
    expect(all.body.secret).toMatch(/^whsec_/);
    const refundsOnly = await api.json('POST', '/v1/webhook_endpoints', {
      token: key,
      body: {
        url: 'https://shop.example/refunds',
        enabled_events: ['refund.created'],
        description: 'refunds',
      },
    });
    const got = await api.json('GET', `/v1/webhook_endpoints/${all.body.id}`, { token: key });
    expect(got.body.secret).toBeUndefined();

    const pay = await api.json('POST', '/v1/payments', {
      token: key,
      body: { amount: 100, currency: 'usd' },
    });
    const jobs = await api.database.sql`
      select payload->>'endpoint_id' as endpoint from jobs where type = 'webhook.deliver'`;
    expect(jobs.map((j) => j.endpoint)).toEqual([all.body.id]);
    const [event] = await api.database.sql`select id from events where object_id = ${pay.body.id}`;
    const [job] = await api.database.sql`select payload from jobs where type = 'webhook.deliver'`;
    expect(job!.payload).toEqual({ event_id: event!.id, endpoint_id: all.body.id });

    const disabled = await api.json('POST', `/v1/webhook_endpoints/${all.body.id}`, {
      token: key,
      body: { disabled: true },
    });
    expect(disabled.body.status).toBe('disabled');
    await api.json('POST', '/v1/payments', { token: key, body: { amount: 100, currency: 'usd' } });
    expect(await api.count("jobs where type = 'webhook.deliver'")).toBe(1);

    const list = await api.json('GET', '/v1/webhook_endpoints', { token: key });
    expect(list.body.data.map((e: { id: string }) => e.id)).toEqual([refundsOnly.body.id, all.body.id]);
    const deleted = await api.json('DELETE', `/v1/webhook_endpoints/${refundsOnly.body.id}`, { token: key });
    expect(deleted.body).toEqual({ id: refundsOnly.body.id, object: 'webhook_endpoint', deleted: true });
    expect(
      (await api.call('GET', `/v1/webhook_endpoints/${refundsOnly.body.id}`, { token: key })).status,
    ).toBe(404);
  });

  it('lists deliveries newest first and resends one by enqueueing webhook.deliver', async () => {
    const ep = await api.json('POST', '/v1/webhook_endpoints', {
      token: key,
      body: { url: 'https://shop.example/d' },
    });
    const pay = await api.json('POST', '/v1/payments', {
      token: key,
      body: { amount: 100, currency: 'usd' },
    });
    const [event] = await api.database.sql`select id, type from events where object_id = ${pay.body.id}`;
    const rows = await api.database.db
      .insert(webhookDeliveries)
      .values([
        {
          endpointId: ep.body.id,
          eventId: event!.id,
          attempt: 1,
          status: 'failed' as const,
          httpStatus: 503,
          durationMs: 40,
          error: 'HTTP 503',
        },
        {
          endpointId: ep.body.id,
          eventId: event!.id,
          attempt: 2,
          status: 'succeeded' as const,
          httpStatus: 200,
          durationMs: 12,
        },
      ])
      .returning();
    const list = await api.json('GET', `/v1/webhook_endpoints/${ep.body.id}/deliveries?limit=1`, {
      token: key,
    });
    expect(list.body).toMatchObject({ object: 'list', has_more: true });
    expect(list.body.data[0]).toMatchObject({
      object: 'webhook_delivery',
      event: event!.id,
      event_type: 'payment.created',
      endpoint: ep.body.id,
      status: expect.any(String),
    });
    // The delivery job is still queued (no worker here): resending changes nothing yet.
    const url = `/v1/webhook_endpoints/${ep.body.id}/deliveries/${rows[0]!.id}/resend`;
    const pending = await api.json('POST', url, { token: key });
    expect(pending.status).toBe(202);
    expect(pending.body).toEqual({
      object: 'webhook_resend',
      event: event!.id,
      endpoint: ep.body.id,
      queued: true,
      action: 'pending',
    });
    // Once the job is dead-lettered, a resend puts it back in the queue with a fresh budget.
    await api.database.sql`update jobs set status = 'dead', attempts = 10
      where type = 'webhook.deliver' and payload->>'endpoint_id' = ${ep.body.id}`;
    const requeued = await api.json('POST', url, { token: key, headers: { 'idempotency-key': 'resend-1' } });
    expect(requeued.body.action).toBe('requeued');
    const [job] = await api.database.sql`select status, attempts from jobs
      where type = 'webhook.deliver' and payload->>'endpoint_id' = ${ep.body.id}`;
    expect(job).toEqual({ status: 'queued', attempts: 0 });
    const missing = await api.json('POST', `/v1/webhook_endpoints/${ep.body.id}/deliveries/wdl_nope/resend`, {
      token: key,
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe("No such webhook_delivery: 'wdl_nope'");
  });
});
