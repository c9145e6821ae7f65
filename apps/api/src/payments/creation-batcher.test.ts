import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createDatabase, createPaymentValues } from '@payday/db';
import { webhookEndpoints } from '@payday/db/schema';
import { openTestDatabase } from '@payday/db/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { createMetrics } from '../http/metrics.js';
import { RateLimiter } from '../http/rate-limit.js';
import { createMerchant } from '../services/merchants.js';
import { PaymentCreationBatcher } from './creation-batcher.js';

/**
 * Group commit over real HTTP and a real PostgreSQL. The test holds a SHARE lock on `payments`
 * (which blocks every INSERT), so the first group's statement stays in flight while the other
 * requests arrive and queue behind it; then it releases the lock and counts the statements
 * that wrote the payments by their inserting transaction (`xmin`): a statement outside a
 * transaction block is its own transaction.
 */
describe('PaymentCreationBatcher', () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let batcher: PaymentCreationBatcher;
  let server: ReturnType<typeof serve>;
  let url: string;
  const merchants: { id: string; key: string; endpoint: string }[] = [];

  beforeAll(async () => {
    t = await openTestDatabase();
    for (const name of ['A', 'B']) {
      const m = await createMerchant(t, { name });
      const [endpoint] = await t.db
        .insert(webhookEndpoints)
        .values({ merchantId: m.merchantId, url: `https://${name}.test/hooks`, secret: 'whsec_x' })
        .returning();
      merchants.push({ id: m.merchantId, key: m.apiKey.secret, endpoint: endpoint!.id });
    }
    batcher = new PaymentCreationBatcher(t.db, { maxInFlight: 2, maxGroupSize: 64 });
    const app = createApp({
      database: t,
      logger: pino({ level: 'silent' }),
      metrics: createMetrics({ version: 'test', defaultMetrics: false }),
      version: 'test',
      lifecycle: { draining: false },
      rateLimiter: new RateLimiter(0),
      paymentCreations: batcher,
    });
    server = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.cleanup();
  });

  const post = (key: string, body: unknown, idempotencyKey?: string) =>
    fetch(`${url}/v1/payments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      body: JSON.stringify(body),
    });

  /** Blocks every payment INSERT until `release()`. */
  async function holdPayments() {
    const lock = await t.sql.reserve();
    await lock`begin`;
    await lock`lock table payments in share mode`;
    return {
      async release() {
        await lock`commit`;
        lock.release();
      },
    };
  }

  /** Resolves once `n` creations reached the batcher (sent in a statement or queued). */
  async function untilArrived(n: number) {
    await expect.poll(() => batcher.creationsInFlight + batcher.queued, { timeout: 10_000 }).toBe(n);
  }

  /** How many transactions (= statements, outside transaction blocks) wrote these payments. */
  async function statementsThatWrote(ids: string[]) {
    const [row] =
      await t.sql`select count(distinct xmin::text)::int as n from payments where id = any(${ids})`;
    return row!.n;
  }

  it('a lone creation is sent at once, without waiting for company', async () => {
    const held = await holdPayments();
    const pending = post(merchants[0]!.key, { amount: 1, currency: 'usd' });
    await untilArrived(1);
    expect({ queued: batcher.queued, inFlight: batcher.groupsInFlight }).toEqual({ queued: 0, inFlight: 1 });
    await held.release();
    expect((await pending).status).toBe(200);
  });

  it('groups concurrent creations into few statements; every request gets its own payment, jobs and stored response', async () => {
    const held = await holdPayments();
    const requests = Array.from({ length: 20 }, (_, i) => {
      const m = merchants[i % 2]!;
      const body = { amount: 1000 + i, currency: 'usd', description: `grouped ${i}` };
      const idempotencyKey = i % 3 === 0 ? `group-${i}` : undefined;
      return { m, body, idempotencyKey, response: post(m.key, body, idempotencyKey) };
    });
    await untilArrived(20);
    const groups = batcher.groupsInFlight;
    const queued = batcher.queued;
    expect(groups).toBeLessThanOrEqual(2);
    await held.release();

    const answers = await Promise.all(
      requests.map(async (r) => {
        const res = await r.response;
        return { ...r, status: res.status, text: await res.text() };
      }),
    );
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(JSON.parse(a.text)).toMatchObject({ object: 'payment', status: 'pending', ...a.body });
    }
    const ids = answers.map((a) => JSON.parse(a.text).id as string);
    expect(new Set(ids).size).toBe(20);
    // The blocked groups, then everything that queued behind them as ONE statement.
    expect(await statementsThatWrote(ids)).toBe(groups + (queued > 0 ? 1 : 0));

    for (const [i, a] of answers.entries()) {
      const id = ids[i]!;
      const [payment] = await t.sql`select merchant_id, idempotency_key from payments where id = ${id}`;
      expect(payment).toEqual({ merchant_id: a.m.id, idempotency_key: a.idempotencyKey ?? null });
      const jobs = await t.sql`
        select j.type, j.payload->>'endpoint_id' as endpoint from jobs j
         where j.payload->>'payment_id' = ${id}
            or j.payload->>'event_id' = (select e.id from events e where e.object_id = ${id})
         order by j.type`;
      expect(jobs.map((j) => ({ ...j }))).toEqual([
        { type: 'payment.process', endpoint: null },
        // Tenant isolation: the event reaches its own merchant's endpoint only.
        { type: 'webhook.deliver', endpoint: a.m.endpoint },
      ]);
      // Each merchant sees its own payment and not the other's.
      const other = merchants.find((m) => m !== a.m)!;
      const own = await fetch(`${url}/v1/payments/${id}`, {
        headers: { authorization: `Bearer ${a.m.key}` },
      });
      expect(own.status).toBe(200);
      const foreign = await fetch(`${url}/v1/payments/${id}`, {
        headers: { authorization: `Bearer ${other.key}` },
      });
      expect(foreign.status).toBe(404);
      // A keyed request's response was stored with its payment: the replay is byte for byte.
      if (a.idempotencyKey) {
        const replay = await post(a.m.key, a.body, a.idempotencyKey);
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
        expect(await replay.text()).toBe(a.text);
      }
    }
  });

  it('one bad creation in a group fails alone, with the error it gets alone; the others succeed and nothing of it is written', async () => {
    const [a, b] = merchants as [(typeof merchants)[0], (typeof merchants)[0]];
    // A payment whose key's claim was swept after 24 hours: reusing the key fails its INSERT.
    const bodyOf = (amount: number) => ({ amount, currency: 'usd', description: 'swept' });
    for (const key of ['swept-1', 'swept-2']) {
      expect((await post(b.key, bodyOf(7), key)).status).toBe(200);
    }
    await t.sql`delete from idempotency_keys where key like 'swept-%'`;
    const alone = await post(b.key, bodyOf(8), 'swept-1');
    const aloneError = (await alone.json()) as { error: { code: string; message: string } };
    expect(alone.status).toBe(409);

    const count = async () =>
      (
        await t.sql`select (select count(*) from payments)::int as payments, (select count(*) from events)::int as events,
                           (select count(*) from jobs where type = 'payment.process')::int as jobs`
      )[0]!;
    const before = await count();
    const held = await holdPayments();
    // Two lone creations, one after the other, fill both in-flight slots …
    const good = [post(a.key, { amount: 500, currency: 'usd' })];
    await untilArrived(1);
    good.push(post(a.key, { amount: 501, currency: 'usd' }));
    await untilArrived(2);
    expect(batcher.groupsInFlight).toBe(2);
    // … so the bad one and seven good ones queue, to leave as one group.
    for (let i = 2; i < 9; i++) {
      good.push(post(a.key, { amount: 500 + i, currency: 'usd' }, i % 2 ? `good-${i}` : undefined));
    }
    const bad = post(b.key, bodyOf(8), 'swept-2');
    await untilArrived(10);
    expect(batcher.queued).toBe(8);
    await held.release();

    const badRes = await bad;
    expect(badRes.status).toBe(409);
    expect(await badRes.json()).toEqual({
      error: { ...aloneError.error, message: aloneError.error.message.replace('swept-1', 'swept-2') },
    });
    const goodRes = await Promise.all(good);
    expect(goodRes.map((r) => r.status)).toEqual(Array(9).fill(200));
    // Nine payments, each with its event and job; the bad one wrote nothing and kept no claim.
    expect(await count()).toEqual({
      payments: before.payments + 9,
      events: before.events + 9,
      jobs: before.jobs + 9,
    });
    const [claim] = await t.sql`select count(*)::int as n from idempotency_keys where key = 'swept-2'`;
    expect(claim!.n).toBe(0);
    const stored = await t.sql`select status from idempotency_keys where key like 'good-%'`;
    expect(stored.map((s) => s.status)).toEqual(Array(3).fill('completed'));
  });

  it('an error PostgreSQL did not report fails the whole group, which is not retried', async () => {
    const closed = createDatabase(t.test.url, { max: 1 });
    await closed.close();
    const lost = new PaymentCreationBatcher(closed.db, { maxInFlight: 1, maxGroupSize: 64 });
    const values = [1, 2].map(
      (amount) => createPaymentValues({ merchantId: merchants[0]!.id, amount, currency: 'usd' }).values,
    );
    const outcomes = await Promise.allSettled(values.map((v) => lost.create(v)));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    const [first, second] = outcomes as PromiseRejectedResult[];
    expect(first!.reason).toBe(second!.reason);
    expect(await statementsThatWrote(values.map((v) => v.id))).toBe(0);
  });
});
