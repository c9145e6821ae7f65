import { describe, expect, it } from 'vitest';
import { ms, T0, useQueueDatabase } from '../testing/queue.js';
import { claimJobs } from './claim.js';
import { enqueue } from './enqueue.js';
import { completeJobs, deadLetterJob } from './finish.js';
import { pruneJobs, queueDepthByType, requeueDeadJob } from './maintenance.js';
import { KEDA_QUEUE_DEPTH_SQL } from './statements.js';

const ctx = useQueueDatabase();

describe('queue maintenance', () => {
  it('reports depth and oldest due age per type, and the KEDA number', async () => {
    const { db, sql } = ctx.db;
    await sql`truncate jobs`;
    await enqueue(db, {
      type: 'webhook.deliver',
      payload: { event_id: 'evt_1', endpoint_id: 'we_1' },
      runAt: ms(T0, -30_000),
    });
    await enqueue(db, {
      type: 'webhook.deliver',
      payload: { event_id: 'evt_2', endpoint_id: 'we_1' },
      runAt: ms(T0, -5_000),
    });
    await enqueue(db, { type: 'payout.settle', payload: { date: '2026-11-21' }, runAt: ms(T0, 3_600_000) });
    await enqueue(db, { type: 'payment.process', payload: { payment_id: 'pay_1' }, runAt: ms(T0, -1000) });
    const [running] = await claimJobs(sql, {
      type: 'webhook.deliver',
      workerId: 'w',
      limit: 1,
      leaseMs: 1000,
      now: T0,
    });
    expect(running?.type).toBe('webhook.deliver');
    const depth = (await queueDepthByType(sql, { now: T0 })).sort((a, b) => a.type.localeCompare(b.type));
    expect(depth).toEqual([
      { type: 'payment.process', depth: 1, oldestAgeSeconds: 1 },
      { type: 'payout.settle', depth: 1, oldestAgeSeconds: 0 },
      { type: 'webhook.deliver', depth: 2, oldestAgeSeconds: 5 },
    ]);
    // KEDA counts what needs a worker now: the running job and the due ones, not tomorrow's.
    await sql`update jobs set run_at = now() - interval '1 second' where type <> 'payout.settle'`;
    await sql`update jobs set run_at = now() + interval '1 hour' where type = 'payout.settle'`;
    const [keda] = await sql.unsafe(KEDA_QUEUE_DEPTH_SQL);
    expect(Number(keda!.count)).toBe(3);
  });

  it('prunes finished jobs past retention in batches and keeps the rest', async () => {
    const { db, sql } = ctx.db;
    await sql`truncate jobs`;
    for (let i = 0; i < 12; i++)
      await enqueue(db, { type: 'payment.process', payload: { payment_id: `p${i}` }, runAt: ms(T0, -1) });
    const claimed = await claimJobs(sql, {
      type: 'payment.process',
      workerId: 'w',
      limit: 12,
      leaseMs: 1000,
      now: T0,
    });
    await completeJobs(
      sql,
      claimed.slice(0, 8).map((j) => j.id),
      { workerId: 'w', now: ms(T0, -86_400_000) },
    );
    await completeJobs(
      sql,
      claimed.slice(8, 10).map((j) => j.id),
      { workerId: 'w', now: T0 },
    );
    await deadLetterJob(sql, claimed[10]!.id, { workerId: 'w', reason: 'x', now: ms(T0, -86_400_000) });
    const deleted = await pruneJobs(sql, {
      completedBefore: ms(T0, -3_600_000),
      deadBefore: ms(T0, -30 * 86_400_000),
      batchSize: 3,
    });
    expect(deleted).toBe(8);
    const left = await sql`select status, count(*)::int as n from jobs group by status order by status`;
    expect(left).toEqual([
      { status: 'completed', n: 2 },
      { status: 'dead', n: 1 },
      { status: 'running', n: 1 },
    ]);
  });

  it('requeues a dead job with fresh attempts (resend), and nothing else', async () => {
    const { db, sql } = ctx.db;
    await sql`truncate jobs`;
    await enqueue(db, { type: 'payment.process', payload: { payment_id: 'p' }, runAt: ms(T0, -1) });
    const [job] = await claimJobs(sql, {
      type: 'payment.process',
      workerId: 'w',
      limit: 1,
      leaseMs: 1000,
      now: T0,
    });
    expect(await requeueDeadJob(sql, job!.id)).toBe(false);
    await deadLetterJob(sql, job!.id, { workerId: 'w', reason: 'gave up' });
    expect(await requeueDeadJob(sql, job!.id, { now: T0 })).toBe(true);
    const [r] = await sql`select status, attempts, last_error from jobs`;
    expect(r).toEqual({ status: 'queued', attempts: 0, last_error: null });
    expect(await requeueDeadJob(sql, 999_999)).toBe(false);
  });
});
