/**
 * The worker's side of two API features, end to end over loopback HTTP: the real API on a port
 * (typed client), the real job handlers on the same PostgreSQL, a real webhook receiver.
 *  - secret rotation: during the overlap every delivery carries one `v1` per active secret, and
 *    once it has ended only the new secret signs;
 *  - payouts: what the daily settlement writes is what GET /v1/payouts answers, and the
 *    `payout.created` event carries the same object.
 */
import { createMerchant, loadEnv, start as startApi } from '@payday/api';
import { createPaydayClient } from '@payday/api/client';
import { enqueue } from '@payday/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { paymentProcessHandler } from './jobs/payment-process.js';
import { payoutSettleHandler } from './jobs/payout-settle.js';
import { createWebhookDeliverHandler } from './jobs/webhook-deliver.js';
import { JobRunner } from './runner/runner.js';
import { startWebhookSink, type WebhookSink } from './sink/webhook-sink.js';
import { silentLog, useTestDatabase } from './testing/fixtures.js';
import { verifySignature } from './webhooks/signature.js';

const db = useTestDatabase();
let api: Awaited<ReturnType<typeof startApi>>;
let sink: WebhookSink;

beforeAll(async () => {
  api = await startApi({
    env: loadEnv({
      DATABASE_URL: db.current.test.url,
      API_PORT: '0',
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_SECOND: '0',
      // The receiver listens on 127.0.0.1, which registration refuses otherwise.
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    }),
    database: db.current,
  });
  sink = await startWebhookSink();
});
afterAll(async () => {
  await api?.close();
  await sink?.close();
});
beforeEach(() => {
  sink.received.length = 0;
});

function runner(clock: ManualClock) {
  return new JobRunner({
    database: db.current,
    handlers: [
      paymentProcessHandler,
      payoutSettleHandler,
      createWebhookDeliverHandler({ timeoutMs: 5_000, allowPrivateTargets: true }),
    ],
    workerId: 'roundtrip',
    concurrency: 4,
    batchSize: 10,
    pollIntervalMs: 20,
    leaseMs: 30_000,
    log: silentLog,
    clock,
    random: () => 0.5,
  });
}

/**
 * A clock for draining what was just enqueued. The runner claims jobs whose run_at is not after
 * its clock; run_at is PostgreSQL's now() in microseconds and a Date has milliseconds, so a clock
 * read in the same millisecond as the enqueue can be just before it. Read it a second later.
 */
const clockAfterEnqueue = () => new ManualClock(new Date(Date.now() + 1000));

async function drain(clock: ManualClock) {
  const r = runner(clock);
  while ((await r.runOnce()) > 0) {}
}

async function merchantClient(name: string) {
  const m = await createMerchant(db.current, { name });
  return createPaydayClient({ baseUrl: api.url, token: m.apiKey.secret });
}

const v1Count = (header: string | undefined) => header?.match(/v1=/g)?.length ?? 0;

describe('webhook secret rotation, delivered', () => {
  it('signs with both secrets during the overlap and only with the new one after it', async () => {
    const client = await merchantClient('Rotating shop');
    const created = await client.POST('/v1/webhook_endpoints', {
      body: { url: `${sink.url}/rotation`, enabled_events: ['payment.created'] },
    });
    const endpoint = created.data!;
    const oldSecret = endpoint.secret!;
    const rotated = await client.POST('/v1/webhook_endpoints/{id}/rotate_secret', {
      params: { path: { id: endpoint.id } },
      body: { expires_in_seconds: 3600 },
    });
    expect(rotated.response.status).toBe(200);
    const newSecret = rotated.data!.secret!;
    const overlapEnds = Date.parse(rotated.data!.previous_secret_expires_at!);

    // During the overlap: a receiver that knows either secret accepts the delivery.
    await client.POST('/v1/payments', { body: { amount: 1200, currency: 'usd' } });
    const clock = clockAfterEnqueue();
    await drain(clock);
    expect(sink.received).toHaveLength(1);
    const during = sink.received[0]!;
    expect(v1Count(during.signature)).toBe(2);
    const now = Math.floor(clock.now().getTime() / 1000);
    for (const secret of [oldSecret, newSecret]) {
      expect(
        verifySignature({ payload: during.body, header: during.signature, secrets: [secret], now }).timestamp,
      ).toBe(now);
    }

    // After it: one v1, and the old secret no longer verifies.
    await client.POST('/v1/payments', { body: { amount: 1300, currency: 'usd' } });
    clock.set(new Date(overlapEnds + 1000));
    await drain(clock);
    expect(sink.received).toHaveLength(2);
    const after = sink.received[1]!;
    const later = Math.floor(clock.now().getTime() / 1000);
    expect(v1Count(after.signature)).toBe(1);
    expect(
      verifySignature({ payload: after.body, header: after.signature, secrets: [newSecret], now: later })
        .timestamp,
    ).toBe(later);
    expect(() =>
      verifySignature({ payload: after.body, header: after.signature, secrets: [oldSecret], now: later }),
    ).toThrow('no v1 signature matches any of the endpoint secrets');
  });

  it('stops signing with the old secret at once when the overlap is 0', async () => {
    const client = await merchantClient('Leaked secret shop');
    const endpoint = (
      await client.POST('/v1/webhook_endpoints', {
        body: { url: `${sink.url}/leaked`, enabled_events: ['payment.created'] },
      })
    ).data!;
    const rotated = await client.POST('/v1/webhook_endpoints/{id}/rotate_secret', {
      params: { path: { id: endpoint.id } },
      body: { expires_in_seconds: 0 },
    });
    await client.POST('/v1/payments', { body: { amount: 1400, currency: 'usd' } });
    const clock = clockAfterEnqueue();
    await drain(clock);
    const got = sink.received[0]!;
    const now = Math.floor(clock.now().getTime() / 1000);
    expect(v1Count(got.signature)).toBe(1);
    expect(
      verifySignature({ payload: got.body, header: got.signature, secrets: [rotated.data!.secret!], now })
        .timestamp,
    ).toBe(now);
    expect(() =>
      verifySignature({ payload: got.body, header: got.signature, secrets: [endpoint.secret!], now }),
    ).toThrow('no v1 signature matches');
  });
});

describe('payouts from the daily settlement', () => {
  it('lists what settlement paid out, so the available balance is explained', async () => {
    const client = await merchantClient('Settled shop');
    const other = await merchantClient('Neighbour');
    for (const amount of [2500, 1500])
      await client.POST('/v1/payments', { body: { amount, currency: 'usd' } });
    await client.POST('/v1/payments', { body: { amount: 900, currency: 'eur' } });
    await other.POST('/v1/payments', { body: { amount: 111, currency: 'usd' } });
    await drain(clockAfterEnqueue());
    await enqueue(db.current.db, { type: 'payout.settle', payload: { date: '2026-12-01' } });
    await drain(clockAfterEnqueue());

    const balance = (await client.GET('/v1/balance')).data!;
    // Settled and paid out: nothing is left available or pending; the payouts say where it went.
    expect([...balance.available, ...balance.pending].filter((b) => b.amount !== 0)).toEqual([]);
    const list = (await client.GET('/v1/payouts')).data!;
    expect(list.has_more).toBe(false);
    expect(list.data.map((p) => [p.currency, p.amount, p.settlement_date, p.status]).sort()).toEqual([
      ['eur', 900, '2026-12-01', 'pending'],
      ['usd', 4000, '2026-12-01', 'pending'],
    ]);
    const usd = list.data.find((p) => p.currency === 'usd')!;
    const one = await client.GET('/v1/payouts/{id}', { params: { path: { id: usd.id } } });
    expect(one.data).toEqual(usd);
    const events = await client.GET('/v1/events', {
      params: { query: { type: 'payout.created', object_id: usd.id } },
    });
    expect(events.data!.data.map((e) => e.data.object)).toEqual([usd]);

    // The neighbour sees only its own payout, and not this one.
    const theirs = (await other.GET('/v1/payouts')).data!;
    expect(theirs.data.map((p) => [p.currency, p.amount])).toEqual([['usd', 111]]);
    const denied = await other.GET('/v1/payouts/{id}', { params: { path: { id: usd.id } } });
    expect(denied.response.status).toBe(404);
  });
});
