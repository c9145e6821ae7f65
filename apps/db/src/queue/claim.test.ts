import { describe, expect, it } from 'vitest';
import { ms, T0, useQueueDatabase } from '../testing/queue.js';
import { claimJobs, claimOtherJobs } from './claim.js';
import { enqueue } from './enqueue.js';

const ctx = useQueueDatabase();

describe('claimJobs', () => {
  it('claims due jobs oldest first, raises attempts, takes a lease, skips future ones', async () => {
    const { db, sql } = ctx.db;
    await sql`truncate jobs`;
    const late = await enqueue(db, {
      type: 'payout.settle',
      payload: { date: '2026-11-20' },
      runAt: ms(T0, -1000),
    });
    const early = await enqueue(db, {
      type: 'payout.settle',
      payload: { date: '2026-11-19' },
      runAt: ms(T0, -5000),
    });
    await enqueue(db, { type: 'payout.settle', payload: { date: '2026-11-21' }, runAt: ms(T0, 60_000) });

    const claimed = await claimJobs(sql, {
      type: 'payout.settle',
      workerId: 'w1',
      limit: 10,
      leaseMs: 30_000,
      now: T0,
    });
    expect(claimed.map((j) => j.id)).toEqual([early!.id, late!.id]);
    expect(claimed[0]).toMatchObject({
      type: 'payout.settle',
      payload: { date: '2026-11-19' },
      attempts: 1,
      maxAttempts: 10,
    });
    const rows =
      await sql`select id, status, locked_by, locked_until from jobs where status = 'running' order by id`;
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.locked_by).toBe('w1');
      expect(new Date(r.locked_until)).toEqual(ms(T0, 30_000));
    }
    // The scheduled job becomes due later.
    expect(
      await claimJobs(sql, { type: 'payout.settle', workerId: 'w1', limit: 10, leaseMs: 30_000, now: T0 }),
    ).toEqual([]);
    const next = await claimJobs(sql, {
      type: 'payout.settle',
      workerId: 'w1',
      limit: 10,
      leaseMs: 30_000,
      now: ms(T0, 60_000),
    });
    expect(next.map((j) => j.payload)).toEqual([{ date: '2026-11-21' }]);
  });

  it('commits the claim without waiting for its WAL flush, for that transaction only', async () => {
    const { db, sql } = ctx.db;
    await sql`truncate jobs`;
    for (const date of ['2026-11-17', '2026-11-18'])
      await enqueue(db, { type: 'payout.settle', payload: { date }, runAt: ms(T0, -1000) });
    const options = { type: 'payout.settle' as const, workerId: 'w1', limit: 1, leaseMs: 30_000, now: T0 };
    // One connection whose own setting is "wait for the flush" (test servers may default to off).
    const conn = await sql.reserve();
    try {
      await conn`set synchronous_commit = on`;
      await conn`begin`;
      expect(await claimJobs(conn, options)).toHaveLength(1);
      const [inside] = await conn`show synchronous_commit`;
      await conn`commit`;
      expect(inside!.synchronous_commit).toBe('off');
      // A claim on its own (its own implicit transaction) leaves the connection's setting alone.
      expect(await claimJobs(conn, options)).toHaveLength(1);
      const [after] = await conn`show synchronous_commit`;
      expect(after!.synchronous_commit).toBe('on');
    } finally {
      conn.release();
    }
  });

  it('respects the limit and gives concurrent claimers disjoint jobs (SKIP LOCKED)', async () => {
    const { db, sql } = ctx.db;
    await sql`truncate jobs`;
    for (let i = 0; i < 40; i++) {
      await enqueue(db, { type: 'payment.process', payload: { payment_id: `pay_${i}` }, runAt: ms(T0, -i) });
    }
    const batches = await Promise.all(
      ['a', 'b', 'c', 'd'].map((w) =>
        claimJobs(sql, { type: 'payment.process', workerId: w, limit: 15, leaseMs: 30_000, now: T0 }),
      ),
    );
    const ids = batches.flat().map((j) => j.id);
    expect(batches.every((b) => b.length <= 15)).toBe(true);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
  });

  it('deduplicates on the unique key', async () => {
    const { db, sql } = ctx.db;
    await sql`truncate jobs`;
    const first = await enqueue(db, {
      type: 'payout.settle',
      payload: { date: '2026-11-20' },
      uniqueKey: 'settle:2026-11-20',
    });
    const again = await enqueue(db, {
      type: 'payout.settle',
      payload: { date: '2026-11-20' },
      uniqueKey: 'settle:2026-11-20',
    });
    expect(first).not.toBeNull();
    expect(again).toBeNull();
    expect((await sql`select count(*)::int as n from jobs`)[0]!.n).toBe(1);
  });

  it('claims only its type, and the types nobody named through claimOtherJobs', async () => {
    const { db, sql } = ctx.db;
    await sql`truncate jobs`;
    const hook = await enqueue(db, {
      type: 'webhook.deliver',
      payload: { event_id: 'evt_1', endpoint_id: 'we_1' },
      runAt: ms(T0, -2000),
    });
    const pay = await enqueue(db, {
      type: 'payment.process',
      payload: { payment_id: 'p' },
      runAt: ms(T0, -1),
    });
    const odd = await enqueue(db, {
      type: 'invoice.send' as 'payment.process',
      payload: { payment_id: 'x' },
      runAt: ms(T0, -1),
    });
    const opts = { workerId: 'w', limit: 10, leaseMs: 1000, now: T0 };
    expect((await claimJobs(sql, { ...opts, type: 'payment.process' })).map((j) => j.id)).toEqual([pay!.id]);
    const known = ['payment.process', 'webhook.deliver', 'payout.settle'];
    expect((await claimOtherJobs(sql, { ...opts, knownTypes: known })).map((j) => j.id)).toEqual([odd!.id]);
    expect(await claimOtherJobs(sql, { ...opts, knownTypes: known })).toEqual([]);
    expect((await claimJobs(sql, { ...opts, type: 'webhook.deliver' })).map((j) => j.id)).toEqual([hook!.id]);
  });
});
