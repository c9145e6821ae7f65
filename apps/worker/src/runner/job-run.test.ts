import { Writable } from 'node:stream';
import { claimJobs, enqueue, LeaseLostError } from '@payday/db';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { jobRow, silentLog, useTestDatabase } from '../testing/fixtures.js';
import { JobRun } from './job-run.js';

const db = useTestDatabase();
const T0 = new Date('2026-11-21T06:00:00.000Z');

async function claimOne(workerId: string) {
  await db.current.sql`truncate jobs`;
  await enqueue(db.current.db, { type: 'payout.settle', payload: { date: '2026-11-20' }, runAt: T0 });
  const [job] = await claimJobs(db.current.sql, {
    workerId,
    limit: 1,
    leaseMs: 30_000,
    now: T0,
    type: 'payout.settle',
  });
  return job!;
}

describe('JobRun', () => {
  it('an abort before anyone asked for the signal still reaches the signal, with its reason', async () => {
    const run = new JobRun(await claimOne('w1'), db.current, 'w1', silentLog, new ManualClock(T0));
    expect(run.aborted).toBe(false);
    const reason = new Error('worker is draining');
    run.abort(reason);
    run.abort(new Error('a second abort is ignored'));
    expect(run.aborted).toBe(true);
    expect(run.signal.aborted).toBe(true);
    expect(run.signal.reason).toBe(reason);
  });

  it('an abort after the handler took the signal fires its listeners once', async () => {
    const run = new JobRun(await claimOne('w1'), db.current, 'w1', silentLog, new ManualClock(T0));
    const { signal } = run;
    const reasons: unknown[] = [];
    signal.addEventListener('abort', () => reasons.push(signal.reason));
    expect(signal.aborted).toBe(false);
    run.abort(new Error('lease lost'));
    run.abort(new Error('again'));
    expect(reasons).toEqual([new Error('lease lost')]);
    expect(run.signal).toBe(signal);
  });

  it('logs with the job id, type and attempt bound', async () => {
    const job = await claimOne('w1');
    const lines: string[] = [];
    const log = pino(
      { level: 'info', base: null, timestamp: false },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk).trim());
          done();
        },
      }),
    );
    const run = new JobRun(job, db.current, 'w1', log, new ManualClock(T0));
    run.log.info('hello');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { level: 30, job_id: job.id, job_type: 'payout.settle', attempt: 1, msg: 'hello' },
    ]);
    expect(run.isLastAttempt).toBe(false);
    expect(run.now()).toEqual(T0);
  });

  it('complete(tx) completes the job in the caller transaction and records that it did', async () => {
    const job = await claimOne('w1');
    const run = new JobRun(job, db.current, 'w1', silentLog, new ManualClock(T0));
    await db.current.db.transaction((tx) => run.complete(tx));
    expect(run.completedInTx).toBe(true);
    expect(await jobRow(db.current, job.id)).toMatchObject({ status: 'completed', locked_by: null });
  });

  it('complete(tx) by a worker that no longer holds the job throws LeaseLostError and writes nothing', async () => {
    const job = await claimOne('w1');
    const run = new JobRun(job, db.current, 'someone-else', silentLog, new ManualClock(T0));
    await expect(db.current.db.transaction((tx) => run.complete(tx))).rejects.toThrow(LeaseLostError);
    expect(run.completedInTx).toBe(false);
    expect(await jobRow(db.current, job.id)).toMatchObject({ status: 'running', locked_by: 'w1' });
  });
});
