import { emitEvent, resendWebhook } from '@payday/db';
import * as schema from '@payday/db/schema';
import { type Lookup, systemLookup } from '@payday/db/webhook-target';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { createMetrics } from '../observability/metrics.js';
import { JobRunner } from '../runner/runner.js';
import { startWebhookSink, type WebhookSink } from '../sink/webhook-sink.js';
import { createMerchant, jobRow, silentLog, useTestDatabase } from '../testing/fixtures.js';
import { verifySignature } from '../webhooks/signature.js';
import { createWebhookDeliverHandler } from './webhook-deliver.js';

const db = useTestDatabase();
// Webhook timestamps are signed with the injected clock, so verify at the same instant.
const T0 = new Date('2026-11-21T06:00:00.000Z');
const t0 = T0.getTime() / 1000;

let reply: { status: number; delayMs?: number; headers?: Record<string, string> } = { status: 200 };
let sink: WebhookSink;
beforeAll(async () => {
  sink = await startWebhookSink({ respond: () => reply });
});
afterAll(() => sink.close());
beforeEach(async () => {
  reply = { status: 200 };
  sink.received.length = 0;
  await db.current.sql`truncate jobs`;
});

const fakeDns: Lookup = async (host) => {
  // internal.test stands for an attacker's DNS name; everything else resolves for real.
  if (host === 'internal.test') return [{ address: '10.0.0.5', family: 4 }];
  return systemLookup(host);
};

function runner(options: {
  allowPrivate: boolean;
  clock?: ManualClock;
  metrics?: ReturnType<typeof createMetrics>;
}) {
  return new JobRunner({
    database: db.current,
    handlers: [
      createWebhookDeliverHandler({
        timeoutMs: 300,
        allowPrivateTargets: options.allowPrivate,
        lookup: fakeDns,
        ...(options.metrics ? { metrics: options.metrics } : {}),
      }),
    ],
    workerId: 'w',
    concurrency: 10,
    batchSize: 10,
    pollIntervalMs: 20,
    leaseMs: 30_000,
    log: silentLog,
    clock: options.clock ?? new ManualClock(T0),
    random: () => 0.5,
  });
}

/** A merchant, an endpoint and one event: emitting it enqueues the delivery job. */
async function setup(url: string, endpoint: Partial<typeof schema.webhookEndpoints.$inferInsert> = {}) {
  const merchantId = await createMerchant(db.current);
  const [we] = await db.current.db
    .insert(schema.webhookEndpoints)
    .values({ merchantId, url, secret: 'whsec_current', ...endpoint })
    .returning();
  const event = await db.current.db.transaction((tx) =>
    emitEvent(tx, {
      merchantId,
      type: 'payment.succeeded',
      objectId: 'pay_x',
      data: { object: { id: 'pay_x', amount: 1000 } },
    }),
  );
  await db.current.sql`update jobs set run_at = ${T0.toISOString()} where type = 'webhook.deliver'`;
  const [job] = await db.current.sql`select id from jobs where payload->>'event_id' = ${event.id}`;
  return { endpointId: we!.id, eventId: event.id, jobId: Number(job!.id) };
}

const deliveries = (endpointId: string) =>
  db.current.db
    .select()
    .from(schema.webhookDeliveries)
    .where(eq(schema.webhookDeliveries.endpointId, endpointId))
    .orderBy(asc(schema.webhookDeliveries.createdAt));

describe('webhook.deliver', () => {
  it('delivers a signed event that the published helper verifies, and records the attempt', async () => {
    const { endpointId, eventId, jobId } = await setup(`${sink.url}/hooks`);
    const metrics = createMetrics('9.9.9');
    await runner({ allowPrivate: true, metrics }).runOnce();
    expect(sink.received).toHaveLength(1);
    const got = sink.received[0]!;
    expect(got.eventId).toBe(eventId);
    expect(JSON.parse(got.body)).toMatchObject({ id: eventId, object: 'event', type: 'payment.succeeded' });
    expect(
      verifySignature({ payload: got.body, header: got.signature, secrets: ['whsec_current'], now: t0 + 60 }),
    ).toEqual({
      timestamp: t0,
    });
    expect(() =>
      verifySignature({
        payload: `${got.body} `,
        header: got.signature,
        secrets: ['whsec_current'],
        now: t0,
      }),
    ).toThrow();
    const [d] = await deliveries(endpointId);
    expect(d).toMatchObject({ eventId, attempt: 1, status: 'succeeded', httpStatus: 200, error: null });
    expect(d!.durationMs).toBeGreaterThanOrEqual(0);
    expect((await jobRow(db.current, jobId)).status).toBe('completed');
    expect(await metrics.registry.metrics()).toContain(
      'payday_webhook_deliveries_total{outcome="succeeded",version="9.9.9"} 1',
    );
  });

  it('signs with both secrets during a rotation, and only the current one after it', async () => {
    const future = new Date(T0.getTime() + 3_600_000);
    await setup(`${sink.url}/rotating`, { previousSecret: 'whsec_old', previousSecretExpiresAt: future });
    await runner({ allowPrivate: true }).runOnce();
    const header = sink.received[0]!.signature!;
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(
      verifySignature({ payload: sink.received[0]!.body, header, secrets: ['whsec_old'], now: t0 }).timestamp,
    ).toBe(t0);

    await setup(`${sink.url}/rotated`, {
      previousSecret: 'whsec_old',
      previousSecretExpiresAt: new Date(T0.getTime() - 1),
    });
    await runner({ allowPrivate: true }).runOnce();
    const after = sink.received[1]!;
    expect(after.signature!.match(/v1=/g)).toHaveLength(1);
    expect(() =>
      verifySignature({ payload: after.body, header: after.signature, secrets: ['whsec_old'], now: t0 }),
    ).toThrow('no v1 signature matches');
  });

  it('retries 5xx after the backoff and records each attempt', async () => {
    const { endpointId, jobId } = await setup(`${sink.url}/flaky`);
    reply = { status: 503 };
    const clock = new ManualClock(T0);
    const r = runner({ allowPrivate: true, clock });
    await r.runOnce();
    const row = await jobRow(db.current, jobId);
    expect(row).toMatchObject({ status: 'queued', attempts: 1, last_error: 'receiver answered HTTP 503' });
    expect(new Date(row.run_at)).toEqual(new Date(T0.getTime() + 10 * 60_000));
    reply = { status: 200 };
    clock.advance(10 * 60_000);
    await r.runOnce();
    expect((await deliveries(endpointId)).map((d) => [d.attempt, d.status, d.httpStatus])).toEqual([
      [1, 'failed', 503],
      [2, 'succeeded', 200],
    ]);
  });

  it('honours Retry-After on 429', async () => {
    const { jobId } = await setup(`${sink.url}/busy`);
    reply = { status: 429, headers: { 'retry-after': '7200' } };
    await runner({ allowPrivate: true }).runOnce();
    const row = await jobRow(db.current, jobId);
    expect(row.status).toBe('queued');
    expect(new Date(row.run_at)).toEqual(new Date(T0.getTime() + 7_200_000));
  });

  it('retries a receiver that times out', async () => {
    const { endpointId, jobId } = await setup(`${sink.url}/slow`);
    reply = { status: 200, delayMs: 5_000 };
    await runner({ allowPrivate: true }).runOnce();
    expect((await jobRow(db.current, jobId)).status).toBe('queued');
    const [d] = await deliveries(endpointId);
    expect(d).toMatchObject({
      status: 'failed',
      httpStatus: null,
      error: 'timeout: no response within 300 ms',
    });
  });

  it('does not retry other 4xx: dead at once; a resend after the fix delivers', async () => {
    const { endpointId, eventId, jobId } = await setup(`${sink.url}/gone`);
    reply = { status: 404 };
    const r = runner({ allowPrivate: true });
    await r.runOnce();
    expect(await jobRow(db.current, jobId)).toMatchObject({
      status: 'dead',
      last_error: 'receiver answered HTTP 404',
    });
    reply = { status: 200 };
    const resent = await db.current.db.transaction((tx) => resendWebhook(tx, { eventId, endpointId }));
    expect(resent).toEqual({ jobId, action: 'requeued' });
    await db.current.sql`update jobs set run_at = ${T0.toISOString()} where id = ${jobId}`;
    await r.runOnce();
    expect((await deliveries(endpointId)).map((d) => [d.attempt, d.status, d.httpStatus])).toEqual([
      [1, 'failed', 404],
      [1, 'succeeded', 200],
    ]);
    // A second resend of a delivered event adds a new job.
    const again = await db.current.db.transaction((tx) => resendWebhook(tx, { eventId, endpointId }));
    expect(again.action).toBe('enqueued');
  });

  it('dead-letters after the last attempt', async () => {
    const { jobId } = await setup(`${sink.url}/down`);
    await db.current.sql`update jobs set max_attempts = 2 where id = ${jobId}`;
    reply = { status: 500 };
    const clock = new ManualClock(T0);
    const r = runner({ allowPrivate: true, clock });
    await r.runOnce();
    clock.advance(10 * 60_000);
    await r.runOnce();
    expect(await jobRow(db.current, jobId)).toMatchObject({
      status: 'dead',
      attempts: 2,
      last_error: 'gave up after 2 attempts: receiver answered HTTP 500',
    });
  });

  it('refuses to send one merchant’s event to another merchant’s endpoint', async () => {
    const { eventId } = await setup(`${sink.url}/a`);
    const { endpointId: theirs } = await setup(`${sink.url}/b`);
    sink.received.length = 0;
    await db.current.sql`truncate jobs`;
    const [job] = await db.current.sql`
      insert into jobs (type, payload, run_at)
      values ('webhook.deliver', ${JSON.stringify({ event_id: eventId, endpoint_id: theirs })}::jsonb, ${T0.toISOString()})
      returning id`;
    await runner({ allowPrivate: true }).runOnce();
    expect(await jobRow(db.current, Number(job!.id))).toMatchObject({
      status: 'dead',
      last_error: `event ${eventId} and endpoint ${theirs} belong to different merchants`,
    });
    expect(sink.received).toHaveLength(0);
  });

  describe('SSRF guard', () => {
    it.each([
      ['http://127.0.0.1:9/hook', '127.0.0.1 is loopback'],
      ['http://10.1.2.3/hook', '10.1.2.3 is private'],
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is link-local'],
      ['http://[::1]:9/hook', '::1 is loopback'],
      ['https://internal.test/hook', 'internal.test (resolves to 10.0.0.5): 10.0.0.5 is private'],
      ['http://localhost:9/hook', 'localhost (resolves to'],
    ])('refuses %s with a recorded reason', async (url, reason) => {
      const { endpointId, jobId } = await setup(url);
      await runner({ allowPrivate: false }).runOnce();
      const [d] = await deliveries(endpointId);
      expect(d).toMatchObject({ status: 'refused', httpStatus: null });
      expect(d!.error).toContain(reason);
      expect(d!.error).toContain('(SSRF guard)');
      const row = await jobRow(db.current, jobId);
      expect(row.status).toBe('dead');
      expect(row.last_error).toContain(reason);
      expect(sink.received).toHaveLength(0);
    });
  });
});
