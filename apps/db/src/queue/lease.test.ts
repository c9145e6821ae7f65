import { describe, expect, it } from 'vitest';
import { ms, T0, useQueueDatabase } from '../testing/queue.js';
import { claimJobs } from './claim.js';
import { enqueue } from './enqueue.js';
import { extendLeases, rescueExpiredLeases } from './lease.js';

const ctx = useQueueDatabase();

describe('leases', () => {
  it('brings back the jobs of a crashed worker after the lease, not before', async () => {
    const { db, sql } = ctx.db;
    await sql`truncate jobs`;
    await enqueue(db, { type: 'payment.process', payload: { payment_id: 'pay_1' }, runAt: ms(T0, -1) });
    const [job] = await claimJobs(sql, {
      type: 'payment.process',
      workerId: 'crashed',
      limit: 1,
      leaseMs: 10_000,
      now: T0,
    });
    expect(await rescueExpiredLeases(sql, { now: ms(T0, 10_000) })).toEqual([]);
    expect(await rescueExpiredLeases(sql, { now: ms(T0, 10_001) })).toEqual([
      { id: job!.id, type: 'payment.process', status: 'queued' },
    ]);
    const [r] = await sql`select status, attempts, last_error, locked_by from jobs`;
    expect(r).toEqual({
      status: 'queued',
      attempts: 1,
      last_error: 'lease expired: worker crashed did not finish attempt 1',
      locked_by: null,
    });
    const [again] = await claimJobs(sql, {
      type: 'payment.process',
      workerId: 'w2',
      limit: 1,
      leaseMs: 10_000,
      now: ms(T0, 10_001),
    });
    expect(again).toMatchObject({ id: job!.id, attempts: 2 });
  });

  it('dead-letters a job whose last attempt crashed its worker', async () => {
    const { db, sql } = ctx.db;
    await sql`truncate jobs`;
    await enqueue(db, {
      type: 'payment.process',
      payload: { payment_id: 'pay_1' },
      runAt: ms(T0, -1),
      maxAttempts: 1,
    });
    await claimJobs(sql, { type: 'payment.process', workerId: 'crashed', limit: 1, leaseMs: 1000, now: T0 });
    const [rescued] = await rescueExpiredLeases(sql, { now: ms(T0, 5000) });
    expect(rescued?.status).toBe('dead');
    const [r] = await sql`select status, completed_at from jobs`;
    expect(r!.status).toBe('dead');
    expect(new Date(r!.completed_at)).toEqual(ms(T0, 5000));
  });

  it('extends only the leases this worker still holds', async () => {
    const { db, sql } = ctx.db;
    await sql`truncate jobs`;
    await enqueue(db, { type: 'payment.process', payload: { payment_id: 'a' }, runAt: ms(T0, -2) });
    await enqueue(db, { type: 'payment.process', payload: { payment_id: 'b' }, runAt: ms(T0, -1) });
    const [mine] = await claimJobs(sql, {
      type: 'payment.process',
      workerId: 'w1',
      limit: 1,
      leaseMs: 1000,
      now: T0,
    });
    const [theirs] = await claimJobs(sql, {
      type: 'payment.process',
      workerId: 'w2',
      limit: 1,
      leaseMs: 1000,
      now: T0,
    });
    const kept = await extendLeases(sql, [mine!.id, theirs!.id], {
      workerId: 'w1',
      leaseMs: 60_000,
      now: ms(T0, 500),
    });
    expect(kept).toEqual([mine!.id]);
    expect(await rescueExpiredLeases(sql, { now: ms(T0, 2000) })).toEqual([
      { id: theirs!.id, type: 'payment.process', status: 'queued' },
    ]);
  });
});
