import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../client.js';
import { webhookFanOut } from '../events/emit.js';
import { openTestDatabase } from '../testing/fixtures.js';
import { notificationsOf } from '../testing/queue.js';
import {
  compiledEnqueue,
  enqueue,
  enqueueMany,
  enqueueReturningId,
  enqueueStatement,
  MAX_ENQUEUE_SHAPES,
} from './enqueue.js';

describe('enqueue', () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(async () => t.cleanup());

  it('inserts a queued job with its payload and trace context', async () => {
    const job = await enqueue(t.db, {
      type: 'payment.process',
      payload: { payment_id: 'pay_1' },
      traceContext: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    });
    const [row] = await t.sql`select * from jobs where id = ${job!.id}`;
    expect(row).toMatchObject({
      type: 'payment.process',
      payload: { payment_id: 'pay_1' },
      status: 'queued',
      attempts: 0,
      max_attempts: 10,
      trace_context: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    });
  });

  it('a duplicate unique key is a no-op, and rolls back with its transaction', async () => {
    const first = await enqueue(t.db, {
      type: 'payout.settle',
      payload: { date: '2026-11-20' },
      uniqueKey: 'settle:2026-11-20',
    });
    const second = await enqueue(t.db, {
      type: 'payout.settle',
      payload: { date: '2026-11-20' },
      uniqueKey: 'settle:2026-11-20',
    });
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    await expect(
      t.db.transaction(async (tx) => {
        await enqueue(tx, {
          type: 'payout.settle',
          payload: { date: '2026-11-21' },
          uniqueKey: 'settle:2026-11-21',
        });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const [row] = await t.sql`select count(*)::int as n from jobs where unique_key = 'settle:2026-11-21'`;
    expect(row!.n).toBe(0);
  });

  it('enqueueMany inserts every job in one statement and skips duplicate unique keys', async () => {
    await t.sql`truncate jobs`;
    await enqueue(t.db, { type: 'payout.settle', payload: { date: '2026-11-01' }, uniqueKey: 'k:existing' });
    const runAt = new Date('2026-12-01T00:00:00.000Z');
    const ids = await enqueueMany(t.db, [
      { type: 'payment.process', payload: { payment_id: 'pay_a' } },
      {
        type: 'webhook.deliver',
        payload: { event_id: 'evt_1', endpoint_id: 'we_1' },
        uniqueKey: 'k:1',
        runAt,
      },
      { type: 'webhook.deliver', payload: { event_id: 'evt_1', endpoint_id: 'we_1' }, uniqueKey: 'k:1' },
      { type: 'payout.settle', payload: { date: '2026-11-01' }, uniqueKey: 'k:existing' },
      {
        type: 'payment.process',
        payload: { payment_id: 'pay_b' },
        maxAttempts: 3,
        traceContext: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      },
    ]);
    expect(ids).toHaveLength(3);
    const rows = await t.sql`
      select id, type, payload, unique_key, max_attempts, trace_context, run_at from jobs
       where id in ${t.sql(ids)} order by id`;
    expect(rows.map((r) => Number(r.id))).toEqual(ids);
    expect(rows.map((r) => [r.type, r.payload, r.unique_key, r.max_attempts])).toEqual([
      ['payment.process', { payment_id: 'pay_a' }, null, 10],
      ['webhook.deliver', { event_id: 'evt_1', endpoint_id: 'we_1' }, 'k:1', 10],
      ['payment.process', { payment_id: 'pay_b' }, null, 3],
    ]);
    expect(new Date(rows[1]!.run_at)).toEqual(runAt);
    expect(rows[2]!.trace_context).toEqual({
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    expect(await enqueueMany(t.db, [])).toEqual([]);
    await expect(
      t.db.transaction(async (tx) => {
        await enqueueMany(tx, [{ type: 'payment.process', payload: { payment_id: 'pay_rolled_back' } }]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const [left] =
      await t.sql`select count(*)::int as n from jobs where payload->>'payment_id' = 'pay_rolled_back'`;
    expect(left!.n).toBe(0);
  });

  it('notifies each job type once per committed statement, and nothing for scheduled jobs', async () => {
    const seen = await notificationsOf(t.sql, async () => {
      const batch = Array.from({ length: 500 }, (_, i) => ({
        type: 'webhook.deliver' as const,
        payload: { event_id: `evt_${i}`, endpoint_id: 'we_1' },
      }));
      await enqueueMany(t.db, [...batch, { type: 'payment.process', payload: { payment_id: 'pay_n' } }]);
      await enqueue(t.db, {
        type: 'payout.settle',
        payload: { date: '2026-11-02' },
        runAt: new Date(Date.now() + 3_600_000),
      });
      await t.db.transaction(async (tx) => {
        await enqueue(tx, { type: 'payment.process', payload: { payment_id: 'pay_x' } });
        await enqueue(tx, { type: 'payment.process', payload: { payment_id: 'pay_y' } });
      });
      await t.db
        .transaction(async (tx) => {
          await enqueue(tx, { type: 'payment.process', payload: { payment_id: 'pay_rolled_back' } });
          throw new Error('abort');
        })
        .catch(() => {});
    });
    expect(seen).toEqual(['payment.process', 'payment.process', 'webhook.deliver']);
  });

  it('while one transaction holds the wake-up of a type, a concurrent one does not notify again', async () => {
    const seen = await notificationsOf(t.sql, async () => {
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let inserted: () => void = () => {};
      const firstInserted = new Promise<void>((resolve) => {
        inserted = resolve;
      });
      const first = t.db.transaction(async (tx) => {
        await enqueue(tx, { type: 'payment.process', payload: { payment_id: 'pay_first' } });
        inserted();
        await held;
      });
      await firstInserted;
      await t.db.transaction(async (tx) => {
        await enqueue(tx, { type: 'payment.process', payload: { payment_id: 'pay_second' } });
        await enqueue(tx, { type: 'webhook.deliver', payload: { event_id: 'evt_c', endpoint_id: 'we_c' } });
      });
      release();
      await first;
    });
    // The second transaction's payment.process rode on the first one's notification.
    expect(seen).toEqual(['payment.process', 'webhook.deliver']);
  });

  it('a burst of enqueues in 16 concurrent transactions sends one notification, and every job commits', async () => {
    await t.sql`truncate jobs`;
    const n = 16;
    let allInserted: () => void = () => {};
    const inserted = new Promise<void>((resolve) => {
      allInserted = resolve;
    });
    let count = 0;
    const seen = await notificationsOf(t.sql, async () => {
      // Every transaction inserts before any commits: the first to take the type's wake-up lock
      // holds it until its commit, so the other 15 skip their notification.
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          t.db.transaction(async (tx) => {
            await enqueue(tx, { type: 'payment.process', payload: { payment_id: `pay_burst_${i}` } });
            if (++count === n) allInserted();
            await inserted;
          }),
        ),
      );
    });
    expect(seen).toEqual(['payment.process']);
    const [row] =
      await t.sql`select count(*)::int as n from jobs where payload->>'payment_id' like 'pay_burst_%'`;
    expect(row!.n).toBe(n);
  });

  it('sends nothing for a fan-out to no endpoint, a job not yet due, or `wake: false`; a due runAt notifies', async () => {
    const past = new Date(Date.now() - 60_000);
    const seen = await notificationsOf(t.sql, async () => {
      // A merchant id with no endpoint: the fan-out inserts no row, so it does not notify.
      await t.db.execute(webhookFanOut('evt_none', 'mer_without_endpoints', 'payment.created', null));
      await enqueue(t.db, {
        type: 'webhook.deliver',
        payload: { event_id: 'evt_later', endpoint_id: 'we_later' },
        runAt: new Date(Date.now() + 3_600_000),
      });
      await t.db.execute(
        enqueueReturningId({ type: 'payout.settle', payload: { date: '2026-11-30' }, wake: false }),
      );
      await enqueue(t.db, { type: 'payment.process', payload: { payment_id: 'pay_due' }, runAt: past });
    });
    expect(seen).toEqual(['payment.process']);
    const rows = await t.sql`
      select type, status from jobs
       where payload->>'event_id' = 'evt_later' or payload->>'date' = '2026-11-30'
          or payload->>'payment_id' = 'pay_due' order by type`;
    expect(rows.map((r) => [r.type, r.status])).toEqual([
      ['payment.process', 'queued'],
      ['payout.settle', 'queued'],
      ['webhook.deliver', 'queued'],
    ]);
  });

  it('a duplicate of an existing unique key sends nothing, as the settlement on every maintenance tick', async () => {
    const settle = () =>
      enqueue(t.db, {
        type: 'payout.settle',
        payload: { date: '2026-12-05' },
        uniqueKey: 'payout.settle:2026-12-05',
      });
    expect(await notificationsOf(t.sql, async () => void (await settle()))).toEqual(['payout.settle']);
    const again = await notificationsOf(t.sql, async () => {
      expect(await settle()).toBeNull();
      expect(await settle()).toBeNull();
    });
    expect(again).toEqual([]);
  });

  it('a job inserted by other means than the queue statements sends nothing (the poll finds it)', async () => {
    const seen = await notificationsOf(t.sql, async () => {
      await t.sql`insert into jobs (type, payload) values ('payout.settle', '{"date":"by-hand"}')`;
    });
    expect(seen).toEqual([]);
    // Migration 0004 dropped 0002's trigger and its function.
    const [left] = await t.sql`
      select (select count(*) from pg_trigger where tgrelid = 'jobs'::regclass and not tgisinternal)::int as triggers,
             (select count(*) from pg_proc where proname = 'payday_jobs_notify')::int as functions`;
    expect(left).toEqual({ triggers: 0, functions: 0 });
  });
});

describe('compiledEnqueue', () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(async () => t.cleanup());

  it('compiles one statement per shape, with every value a parameter, the text of enqueueReturningId', () => {
    const a = compiledEnqueue({ type: 'payment.process', payload: { payment_id: 'pay_a' } });
    const b = compiledEnqueue({ type: 'payment.process', payload: { payment_id: 'pay_b' } });
    expect(b).toBe(a);
    expect(a?.parameters).toContainEqual({ placeholder: 'p_payment_id' });
    expect(a?.text).toBe(
      new PgDialect().sqlToQuery(
        enqueueReturningId({ type: 'payment.process', payload: { payment_id: 'x' } }),
      ).sql,
    );
    // Another type, or an optional value given, is another shape.
    expect(compiledEnqueue({ type: 'payout.settle', payload: { date: 'd' } })).not.toBe(a);
    expect(
      compiledEnqueue({ type: 'payment.process', payload: { payment_id: 'x' }, uniqueKey: 'k' }),
    ).not.toBe(a);
  });

  it('stores every value given, in a transaction and out, as one prepared statement', async () => {
    const runAt = new Date('2026-12-24T08:00:00.000Z');
    const job = await t.db.transaction((tx) =>
      enqueue(tx, {
        type: 'payout.settle',
        payload: { date: '2026-12-23' },
        runAt,
        uniqueKey: 'settle:2026-12-23',
        maxAttempts: 4,
        traceContext: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      }),
    );
    const again = await enqueue(t.db, {
      type: 'payout.settle',
      payload: { date: '2026-12-23' },
      runAt,
      uniqueKey: 'settle:2026-12-23',
      maxAttempts: 4,
    });
    expect(again).toBeNull();
    const [row] = await t.sql`select * from jobs where id = ${job!.id}`;
    expect(row).toMatchObject({
      type: 'payout.settle',
      payload: { date: '2026-12-23' },
      unique_key: 'settle:2026-12-23',
      max_attempts: 4,
      trace_context: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    });
    expect(new Date(row!.run_at)).toEqual(runAt);
    // Named and prepared on the connection that ran it, the transaction's: PostgreSQL lists it
    // in pg_prepared_statements (PostgreSQL 17 docs, "pg_prepared_statements"). One connection,
    // so the statement listed is the one this enqueue prepared.
    const text = compiledEnqueue({
      type: 'payout.settle',
      payload: { date: '' },
      runAt,
      uniqueKey: '',
      maxAttempts: 1,
    })!.text;
    const one = createDatabase(t.test.url, { max: 1 });
    try {
      const seen = await one.db.transaction(async (tx) => {
        const added = await enqueue(tx, {
          type: 'payout.settle',
          payload: { date: '2026-12-25' },
          runAt,
          uniqueKey: 'settle:2026-12-25',
          maxAttempts: 4,
        });
        // Not committed yet: invisible from another connection.
        const [outside] = await t.sql`select count(*)::int as n from jobs where id = ${added!.id}`;
        const [listed] = await tx.execute<{ n: number }>(
          sql`select count(*)::int as n from pg_prepared_statements where statement = ${text}`,
        );
        return { outside: outside!.n, listed: listed!.n };
      });
      expect(seen).toEqual({ outside: 0, listed: 1 });
    } finally {
      await one.close();
    }
  });

  it(`compiles at most ${MAX_ENQUEUE_SHAPES} shapes; past them, enqueue runs unprepared and still inserts`, async () => {
    // Payload keys built from data (no caller does this) would be a new shape each time.
    // Payload keys are plain names (letters and underscores): `k_` and i written in letters.
    const key = (i: number) =>
      `k_${[...i.toString(26)].map((d) => String.fromCharCode(97 + Number.parseInt(d, 26))).join('')}`;
    const shape = (i: number) => ({
      type: 'payment.process' as const,
      payload: { [key(i)]: 'x' } as never,
    });
    let i = 0;
    while (i <= MAX_ENQUEUE_SHAPES && compiledEnqueue(shape(i))) i++;
    expect(i).toBeGreaterThan(0);
    expect(i).toBeLessThanOrEqual(MAX_ENQUEUE_SHAPES);
    const one = createDatabase(t.test.url, { max: 1 });
    try {
      const past = shape(i + 1);
      expect(compiledEnqueue(past)).toBeUndefined();
      const added = await enqueue(one.db, past);
      const [row] = await one.sql`select payload from jobs where id = ${added!.id}`;
      expect(row!.payload).toEqual({ [key(i + 1)]: 'x' });
      const [listed] = await one.sql`
        select count(*)::int as n from pg_prepared_statements where strpos(statement, ${`'${key(i + 1)}'`}) > 0`;
      expect(listed!.n).toBe(0);
    } finally {
      await one.close();
    }
  });
});

describe('enqueueStatement', () => {
  it('reads the same with values and with placeholders, and names only plain payload keys', () => {
    const dialect = new PgDialect();
    const literal = dialect.sqlToQuery(
      enqueueStatement({ type: 'payment.process', payload: { payment_id: 'pay_1' }, uniqueKey: 'k' }),
    );
    const placeholders = dialect.sqlToQuery(
      enqueueStatement({
        type: 'payment.process',
        payload: { payment_id: sql.placeholder('id') },
        uniqueKey: sql.placeholder('key'),
      }),
    );
    expect(placeholders.sql).toBe(literal.sql);
    expect(literal.sql).toContain("jsonb_build_object('payment_id', $3::text)");
    // The type, the key (the wake-up skips an existing key), then the row's values.
    expect(literal.params).toEqual(['payment.process', 'k', 'pay_1', 'k', 10, null]);
    const quiet = dialect.sqlToQuery(
      enqueueStatement({
        type: 'payment.process',
        payload: { payment_id: 'pay_1' },
        uniqueKey: 'k',
        wake: false,
      }),
    );
    expect(literal.sql).toContain('pg_notify');
    expect(quiet.sql).not.toContain('pg_notify');
    expect(quiet.params).toEqual(['payment.process', 'pay_1', 'k', 10, null]);
    expect(() => enqueueStatement({ type: 'payment.process', payload: { "x') --": 'y' } as never })).toThrow(
      `job payload key "x') --" is not a plain name`,
    );
  });
});
