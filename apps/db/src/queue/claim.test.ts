import { describe, expect, it } from 'vitest';
import { ms, T0, useQueueDatabase } from '../testing/queue.js';
import { claimJobs, claimOtherJobs } from './claim.js';
import { enqueue } from './enqueue.js';
import { CLAIM_OTHER_SQL } from './statements.js';

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

  it('claimOtherJobs takes due jobs of every unknown type, oldest first, up to the limit', async () => {
    const { db, sql } = ctx.db;
    await sql`truncate jobs`;
    const job = (type: string, delta: number) =>
      enqueue(db, { type: type as 'payment.process', payload: { payment_id: type }, runAt: ms(T0, delta) });
    await job('payment.process', -9000);
    const zeta = await job('zeta.new', -3000);
    const alpha = await job('alpha.new', -2000);
    const alphaOld = await job('alpha.new', -5000);
    await job('alpha.new', 60_000);
    await job('webhook.deliver', -8000);
    const known = ['payment.process', 'webhook.deliver'];
    const opts = { workerId: 'w', leaseMs: 1000, now: T0, knownTypes: known };
    // The two oldest due ones across both unknown types (a batch's rows come back in no set order).
    const firstTwo = (await claimOtherJobs(sql, { ...opts, limit: 2 })).map((j) => j.id);
    expect(firstTwo.sort((a, b) => a - b)).toEqual([zeta!.id, alphaOld!.id].sort((a, b) => a - b));
    expect((await claimOtherJobs(sql, { ...opts, limit: 10 })).map((j) => j.id)).toEqual([alpha!.id]);
    // The future one stays queued, and the known types' jobs were never touched.
    expect(await claimOtherJobs(sql, { ...opts, limit: 10 })).toEqual([]);
    const left = await sql`select type, status from jobs where status = 'queued' order by type`;
    expect(left).toEqual([
      { type: 'alpha.new', status: 'queued' },
      { type: 'payment.process', status: 'queued' },
      { type: 'webhook.deliver', status: 'queued' },
    ]);
    // Every type known: nothing to claim; no known type at all: every due job is unknown.
    expect(await claimOtherJobs(sql, { ...opts, limit: 10, knownTypes: [...known, 'alpha.new'] })).toEqual(
      [],
    );
    expect((await claimOtherJobs(sql, { ...opts, limit: 10, knownTypes: [] })).map((j) => j.type)).toEqual([
      'payment.process',
      'webhook.deliver',
    ]);
  });

  it('claimOtherJobs reads the queued types, not the known types’ jobs (plan rows, not timings)', async () => {
    const { sql } = ctx.db;
    await sql`truncate jobs`;
    await sql`insert into jobs (type, payload, run_at)
      select case when i % 2 = 0 then 'payment.process' else 'webhook.deliver' end, '{}'::jsonb,
             ${ms(T0, -60_000).toISOString()}::timestamptz + i * interval '1 millisecond'
        from generate_series(1, 5000) as i`;
    await sql`insert into jobs (type, payload, run_at) values ('invoice.send', '{}'::jsonb, ${ms(T0, -1).toISOString()})`;
    await sql`analyze jobs`;
    type PlanNode = {
      'Node Type': string;
      'Relation Name'?: string;
      'Actual Rows': number;
      'Actual Loops': number;
      'Rows Removed by Filter'?: number;
      'Rows Removed by Index Recheck'?: number;
      Plans?: PlanNode[];
    };
    const scans: PlanNode[] = [];
    await sql
      .begin(async (tx) => {
        const [row] = await tx.unsafe(`EXPLAIN (ANALYZE, FORMAT JSON) ${CLAIM_OTHER_SQL}`, [
          T0.toISOString(),
          10,
          'w',
          1000,
          ['payment.process', 'webhook.deliver'],
        ]);
        const visit = (n: PlanNode) => {
          if (n['Relation Name'] === 'jobs') scans.push(n);
          for (const c of n.Plans ?? []) visit(c);
        };
        visit((row!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
        throw new Error('roll back the claim');
      })
      .catch((err: Error) => {
        if (err.message !== 'roll back the claim') throw err;
      });
    expect(scans.map((n) => n['Node Type'])).not.toContain('Seq Scan');
    // Three queued types: a few index entries per step of the loose scan, one row claimed.
    const read = scans.reduce(
      (sum, n) =>
        sum +
        n['Actual Rows'] * n['Actual Loops'] +
        (n['Rows Removed by Filter'] ?? 0) +
        (n['Rows Removed by Index Recheck'] ?? 0),
      0,
    );
    expect(read).toBeLessThan(20);
    const [{ claimed }] = await sql`select count(*)::int as claimed from jobs where status <> 'queued'`;
    expect(claimed).toBe(0);
  });
});
