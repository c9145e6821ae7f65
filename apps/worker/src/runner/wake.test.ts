import { createDatabase, enqueue, enqueueMany, JOBS_CHANNEL } from '@payday/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { silentLog, useTestDatabase } from '../testing/fixtures.js';
import { defineHandler } from './handler.js';
import { JobRunner, type RunnerOptions } from './runner.js';

const db = useTestDatabase();

/** A `payout.settle` handler that records each run and waits at `gate` while it is closed. */
function recorder() {
  const ran: string[] = [];
  let open: () => void = () => {};
  let gate = Promise.resolve();
  return {
    ran,
    close() {
      gate = new Promise((r) => {
        open = r;
      });
    },
    open: () => open(),
    handler: defineHandler({
      type: 'payout.settle',
      payload: z.strictObject({ date: z.string() }),
      backoff: { baseMs: 1000, capMs: 1000, jitter: 0 },
      async run(payload) {
        ran.push(payload.date);
        await gate;
      },
    }),
  };
}

let runner: JobRunner | undefined;
beforeEach(async () => {
  await db.current.sql`truncate jobs`;
});
afterEach(async () => {
  await runner?.stop(1000);
  runner = undefined;
});

/** A listening runner; `pollIntervalMs` of a minute means only a notification can wake it. */
async function listening(handler: ReturnType<typeof recorder>['handler'], options: Partial<RunnerOptions>) {
  runner = new JobRunner({
    database: db.current,
    handlers: [handler],
    workerId: 'wake-test',
    concurrency: 10,
    batchSize: 10,
    pollIntervalMs: 60_000,
    leaseMs: 60_000,
    log: silentLog,
    ...options,
    listen: {
      checkIntervalMs: 100,
      checkTimeoutMs: 3000,
      backoff: { baseMs: 20, capMs: 200, jitter: 0.2 },
      ...(typeof options.listen === 'object' ? options.listen : {}),
    },
  });
  runner.start();
  await expect.poll(() => runner!.listener!.state, { timeout: 10_000 }).toBe('listening');
  // The lanes' first claims (at start) are done: from here on, only wake-ups or polls claim.
  await expect.poll(() => runner!.laneStats()['payout.settle']!.claims).toBe(1);
  return runner;
}

const settle = (date: string, runAt?: Date) =>
  enqueue(db.current.db, { type: 'payout.settle', payload: { date }, ...(runAt ? { runAt } : {}) });

const status = async (id: number) =>
  (await db.current.sql`select status from jobs where id = ${id}`)[0]!.status as string;

describe('wake on work', () => {
  it('claims a job as soon as its enqueue commits, without waiting for the poll', async () => {
    const r = recorder();
    const w = await listening(r.handler, {});
    const job = await settle('2026-11-01');
    await expect.poll(() => status(job!.id), { timeout: 10_000 }).toBe('completed');
    expect(w.listener!.stats.notifications).toBe(1);
    expect(w.laneStats()['payout.settle']).toMatchObject({ claims: 2, emptyClaims: 1 });
  });

  it('a burst wakes a full lane once it has a free slot, not once per job', async () => {
    const r = recorder();
    r.close();
    const w = await listening(r.handler, { typeConcurrency: { 'payout.settle': 1 } });
    await settle('2026-11-01');
    await expect.poll(() => r.ran).toEqual(['2026-11-01']);
    const claimsWhenFull = w.laneStats()['payout.settle']!.claims;
    // 20 enqueues in 20 transactions: 20 notifications while the only slot is busy.
    for (let i = 2; i <= 21; i++) await settle(`2026-11-${String(i).padStart(2, '0')}`);
    await expect.poll(() => w.listener!.stats.notifications, { timeout: 10_000 }).toBe(21);
    expect(w.laneStats()['payout.settle']!.claims).toBe(claimsWhenFull);

    r.open();
    await expect.poll(() => r.ran.length, { timeout: 10_000 }).toBe(21);
    await expect
      .poll(
        async () =>
          (await db.current.sql`select count(*)::int as n from jobs where status = 'completed'`)[0]!.n,
      )
      .toBe(21);
    // One claim per freed slot, and at most one claim that found nothing besides the one at start.
    const stats = w.laneStats()['payout.settle']!;
    expect(stats.claims - stats.emptyClaims).toBe(21);
    expect(stats.emptyClaims).toBeLessThanOrEqual(2);
  });

  it('one batch enqueue of 200 jobs sends one notification', async () => {
    const r = recorder();
    const w = await listening(r.handler, {});
    await enqueueMany(
      db.current.db,
      Array.from({ length: 200 }, (_, i) => ({ type: 'payout.settle' as const, payload: { date: `d${i}` } })),
    );
    await expect.poll(() => r.ran.length, { timeout: 10_000 }).toBe(200);
    expect(w.listener!.stats.notifications).toBe(1);
  });

  it('a job inserted by other means (no notification) is caught by the poll', async () => {
    const r = recorder();
    await listening(r.handler, { pollIntervalMs: 100 });
    // Only the queue's own statements notify; hand-written SQL does not.
    const [row] = await db.current
      .sql`insert into jobs (type, payload) values ('payout.settle', '{"date":"by-hand"}') returning id`;
    await expect.poll(() => status(Number(row!.id)), { timeout: 10_000 }).toBe('completed');
    expect(runner!.listener!.stats.notifications).toBe(0);
  });

  it('an enqueue whose notification was skipped, because another transaction holds the wake-up, is caught by the poll', async () => {
    const r = recorder();
    await listening(r.handler, { pollIntervalMs: 100 });
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inserted: () => void = () => {};
    const holderInserted = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    // This transaction takes the type's wake-up lock and keeps it, then rolls back: it never
    // notifies, and the enqueue below skips its notification because the lock is taken.
    const holder = db.current.db
      .transaction(async (tx) => {
        await enqueue(tx, { type: 'payout.settle', payload: { date: 'rolled-back' } });
        inserted();
        await held;
        throw new Error('roll back');
      })
      .catch(() => {});
    await holderInserted;
    try {
      const job = await settle('skipped');
      await expect.poll(() => status(job!.id), { timeout: 10_000 }).toBe('completed');
      expect(runner!.listener!.stats.notifications).toBe(0);
    } finally {
      release();
      await holder;
    }
    expect(r.ran).toEqual(['skipped']);
  });

  it('a scheduled job sends no notification and runs when the poll finds it due', async () => {
    const r = recorder();
    await listening(r.handler, { pollIntervalMs: 100 });
    const [{ soon }] = (await db.current
      .sql`select now() + interval '300 milliseconds' as soon`) as unknown as [{ soon: Date }];
    const job = await settle('scheduled', new Date(soon));
    await expect.poll(() => status(job!.id), { timeout: 10_000 }).toBe('completed');
    expect(runner!.listener!.stats.notifications).toBe(0);
    const [ran] = await db.current
      .sql`select completed_at >= run_at as after from jobs where id = ${job!.id}`;
    expect(ran!.after).toBe(true);
  });

  it('listens again after its connection is terminated', async () => {
    const r = recorder();
    const w = await listening(r.handler, {});
    const killed = await db.current.sql`
      select pg_terminate_backend(pid) as ok from pg_stat_activity
       where datname = current_database() and query ilike ${`listen "${JOBS_CHANNEL}"`}`;
    expect(killed.map((k) => k.ok)).toEqual([true]);
    // Back when its own ping comes through the channel again.
    await expect.poll(() => w.listener!.check(), { timeout: 10_000 }).toBe(true);
    const job = await settle('after-reconnect');
    await expect.poll(() => status(job!.id), { timeout: 10_000 }).toBe('completed');
    expect(w.listener!.stats.notifications).toBe(1);
  });

  it('while the database refuses connections: down, retried with backoff, jobs still run by polling', async () => {
    const r = recorder();
    const w = await listening(r.handler, { pollIntervalMs: 100 });
    // Open the pool's connections now: new ones will be refused below.
    await Promise.all(Array.from({ length: 8 }, () => db.current.sql`select pg_sleep(0.02)`));
    // A database cannot refuse connections to itself: switch it from the maintenance database.
    const url = new URL(db.current.test.url);
    const name = decodeURIComponent(url.pathname.slice(1));
    url.pathname = '/postgres';
    const admin = createDatabase(url.toString(), { max: 1 });
    await admin.sql.unsafe(`alter database "${name}" allow_connections false`);
    try {
      await db.current.sql`
        select pg_terminate_backend(pid) from pg_stat_activity
         where datname = current_database() and query ilike ${`listen "${JOBS_CHANNEL}"`}`;
      await expect.poll(() => w.listener!.state, { timeout: 20_000 }).toBe('down');
      await expect.poll(() => w.listener!.stats.failures, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
      const job = await settle('while-down');
      await expect.poll(() => status(job!.id), { timeout: 10_000 }).toBe('completed');
    } finally {
      await admin.sql.unsafe(`alter database "${name}" allow_connections true`);
      await admin.close();
    }
    await expect.poll(() => w.listener!.state, { timeout: 20_000 }).toBe('listening');
    expect(w.listener!.stats.listens).toBeGreaterThanOrEqual(2);
  });
});
