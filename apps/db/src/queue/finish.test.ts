import { describe, expect, it } from 'vitest';
import { ms, T0, useQueueDatabase } from '../testing/queue.js';
import { claimJobs } from './claim.js';
import { enqueue } from './enqueue.js';
import {
  completeJobInTransaction,
  completeJobs,
  deadLetterJob,
  LeaseLostError,
  releaseJobs,
  retryJob,
} from './finish.js';

const ctx = useQueueDatabase();
const me = { workerId: 'w1', now: T0 };

async function oneClaimed(workerId = 'w1') {
  const { db, sql } = ctx.db;
  await sql`truncate jobs`;
  await enqueue(db, { type: 'payment.process', payload: { payment_id: 'pay_1' }, runAt: ms(T0, -1) });
  const [job] = await claimJobs(sql, {
    type: 'payment.process',
    workerId,
    limit: 1,
    leaseMs: 10_000,
    now: T0,
  });
  return job!;
}

const row = async (id: number) =>
  (
    await ctx.db
      .sql`select status, attempts, run_at, last_error, locked_by, locked_until, completed_at from jobs where id = ${id}`
  )[0]!;

describe('finishing jobs', () => {
  it('completes a batch and clears the lease', async () => {
    const job = await oneClaimed();
    expect(await completeJobs(ctx.db.sql, [job.id], me)).toEqual([job.id]);
    const r = await row(job.id);
    expect(r).toMatchObject({ status: 'completed', locked_by: null, locked_until: null });
    expect(new Date(r.completed_at)).toEqual(T0);
  });

  it('does not complete a job another worker holds', async () => {
    const job = await oneClaimed('other');
    expect(await completeJobs(ctx.db.sql, [job.id], me)).toEqual([]);
    expect((await row(job.id)).status).toBe('running');
  });

  it('retries after the given delay with the error recorded', async () => {
    const job = await oneClaimed();
    const result = await retryJob(ctx.db.sql, job.id, { ...me, delayMs: 4_000, error: 'processor timeout' });
    expect(result?.runAt).toEqual(ms(T0, 4_000));
    expect(await row(job.id)).toMatchObject({
      status: 'queued',
      attempts: 1,
      last_error: 'processor timeout',
      locked_by: null,
    });
    // Not due before its backoff has elapsed.
    expect(
      await claimJobs(ctx.db.sql, {
        type: 'payment.process',
        workerId: 'w1',
        limit: 1,
        leaseMs: 1000,
        now: ms(T0, 3_999),
      }),
    ).toEqual([]);
    const [again] = await claimJobs(ctx.db.sql, {
      type: 'payment.process',
      workerId: 'w1',
      limit: 1,
      leaseMs: 1000,
      now: ms(T0, 4_000),
    });
    expect(again?.attempts).toBe(2);
  });

  it('dead-letters with the reason', async () => {
    const job = await oneClaimed();
    expect(await deadLetterJob(ctx.db.sql, job.id, { ...me, reason: 'malformed payload' })).toBe(true);
    expect(await row(job.id)).toMatchObject({
      status: 'dead',
      last_error: 'malformed payload',
      locked_by: null,
    });
    expect(await deadLetterJob(ctx.db.sql, job.id, { ...me, reason: 'again' })).toBe(false);
  });

  it('releases without using an attempt', async () => {
    const job = await oneClaimed();
    expect(await releaseJobs(ctx.db.sql, [job.id], me)).toEqual([job.id]);
    expect(await row(job.id)).toMatchObject({ status: 'queued', attempts: 0, locked_by: null });
  });

  it('completes inside the handler transaction, and rolls the work back when the lease was lost', async () => {
    const job = await oneClaimed();
    await ctx.db.db.transaction(async (tx) => completeJobInTransaction(tx, job.id, me));
    expect((await row(job.id)).status).toBe('completed');

    const stolen = await oneClaimed('other');
    await ctx.db.sql`create table if not exists side_effects (id int)`;
    const err = await ctx.db.db
      .transaction(async (tx) => {
        await tx.execute('insert into side_effects values (1)');
        await completeJobInTransaction(tx, stolen.id, me);
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeaseLostError);
    expect((await ctx.db.sql`select count(*)::int as n from side_effects`)[0]!.n).toBe(0);
  });
});
