import { enqueue } from '@payday/db';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../clock.js';
import { createMetrics } from '../observability/metrics.js';
import { jobRow, silentLog, useTestDatabase } from '../testing/fixtures.js';
import { defineHandler, PermanentJobError } from './handler.js';
import { JobRunner, type RunnerOptions } from './runner.js';

const db = useTestDatabase();
const T0 = new Date('2026-11-21T06:00:00.000Z');

type Seen = { id: number; attempt: number }[];

/** A `payout.settle`-typed test handler whose behaviour each test chooses. */
function handler(behaviour: (attempt: number, signal: AbortSignal) => Promise<void>, seen: Seen = []) {
  return defineHandler({
    type: 'payout.settle',
    payload: z.strictObject({ date: z.iso.date() }),
    backoff: { baseMs: 1000, capMs: 60_000, jitter: 0.2 },
    async run(_payload, ctx) {
      seen.push({ id: ctx.job.id, attempt: ctx.job.attempts });
      await behaviour(ctx.job.attempts, ctx.signal);
    },
  });
}

function runner(overrides: Partial<RunnerOptions>) {
  return new JobRunner({
    database: db.current,
    handlers: [],
    workerId: 'test-worker',
    concurrency: 10,
    batchSize: 10,
    pollIntervalMs: 20,
    leaseMs: 30_000,
    log: silentLog,
    random: () => 0.5,
    ...overrides,
  });
}

async function add(type: string, payload: unknown, maxAttempts?: number) {
  const job = await enqueue(db.current.db, {
    type: type as 'payout.settle',
    payload: payload as { date: string },
    runAt: new Date(T0.getTime() - 1000),
    ...(maxAttempts ? { maxAttempts } : {}),
  });
  return job!.id;
}

describe('JobRunner', () => {
  it('runs a batch and completes it, counting outcomes in the metrics', async () => {
    await db.current.sql`truncate jobs`;
    const ids = [
      await add('payout.settle', { date: '2026-11-01' }),
      await add('payout.settle', { date: '2026-11-02' }),
    ];
    const metrics = createMetrics('1.2.3');
    const r = runner({ handlers: [handler(async () => {})], metrics, clock: new ManualClock(T0) });
    expect(await r.runOnce()).toBe(2);
    for (const id of ids) expect((await jobRow(db.current, id)).status).toBe('completed');
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'payday_jobs_processed_total{type="payout.settle",outcome="completed",version="1.2.3"} 2',
    );
    expect(text).toContain('payday_job_duration_seconds_count{version="1.2.3",type="payout.settle"} 2');
  });

  it('dead-letters an unknown type and a malformed payload with the reason, and keeps running', async () => {
    await db.current.sql`truncate jobs`;
    const unknown = await add('invoice.send', { invoice: 1 });
    const malformed = await add('payout.settle', { date: 'yesterday', extra: true });
    const good = await add('payout.settle', { date: '2026-11-03' });
    const r = runner({ handlers: [handler(async () => {})] });
    r.start();
    // Each type has its own lane and unknown types share the `*` lane, so the three jobs finish
    // in any order: wait for all of them before stopping.
    await expect
      .poll(
        async () =>
          Promise.all([good, unknown, malformed].map(async (id) => (await jobRow(db.current, id)).status)),
        { timeout: 10_000 },
      )
      .toEqual(['completed', 'dead', 'dead']);
    await r.stop(1000);
    expect(await jobRow(db.current, unknown)).toMatchObject({
      status: 'dead',
      last_error: 'unknown job type "invoice.send"',
    });
    const bad = await jobRow(db.current, malformed);
    expect(bad.status).toBe('dead');
    expect(bad.last_error).toMatch(
      /^malformed payload: date: Invalid ISO date; \(root\): Unrecognized key: "extra"$/,
    );
  });

  it('retries with exponential backoff on the injected clock, then dead-letters after max attempts', async () => {
    await db.current.sql`truncate jobs`;
    const id = await add('payout.settle', { date: '2026-11-04' }, 3);
    const clock = new ManualClock(T0);
    const seen: Seen = [];
    const r = runner({
      handlers: [handler(async (n) => Promise.reject(new Error(`boom ${n}`)), seen)],
      clock,
    });
    expect(await r.runOnce()).toBe(1);
    let row = await jobRow(db.current, id);
    // attempt 1 failed: base 1000 ms × jitter factor 1 (random 0.5) → due at T0 + 1 s
    expect(row).toMatchObject({ status: 'queued', attempts: 1, last_error: 'boom 1' });
    expect(new Date(row.run_at)).toEqual(new Date(T0.getTime() + 1000));
    clock.advance(999);
    expect(await r.runOnce()).toBe(0);
    clock.advance(1);
    expect(await r.runOnce()).toBe(1);
    row = await jobRow(db.current, id);
    // attempt 2 failed: 2000 ms after the clock's now
    expect(new Date(row.run_at)).toEqual(new Date(T0.getTime() + 1000 + 2000));
    clock.advance(2000);
    expect(await r.runOnce()).toBe(1);
    expect(await jobRow(db.current, id)).toMatchObject({
      status: 'dead',
      attempts: 3,
      last_error: 'gave up after 3 attempts: boom 3',
    });
    expect(seen.map((s) => s.attempt)).toEqual([1, 2, 3]);
  });

  it('stores a failed query without its bound values or secrets in last_error', async () => {
    await db.current.sql`truncate jobs`;
    const id = await add('payout.settle', { date: '2026-11-06' });
    const secret = 'whsec_0123456789abcdef';
    const r = runner({
      handlers: [
        handler(async () => {
          // drizzle puts the bound values in the error's message ("Failed query: …\nparams: …").
          await db.current.db.execute(sql`select ${secret}::int, ${'merchant metadata'}::text`);
        }),
      ],
    });
    await r.runOnce();
    const row = await jobRow(db.current, id);
    expect(row.last_error).toMatch(/^Failed query: select \$1::int, \$2::text\nparams: \[redacted\]$/);
    expect(row.last_error).not.toContain(secret);
    expect(row.last_error).not.toContain('metadata');
  });

  it('dead-letters a permanent error at once', async () => {
    await db.current.sql`truncate jobs`;
    const id = await add('payout.settle', { date: '2026-11-05' });
    const r = runner({
      handlers: [handler(async () => Promise.reject(new PermanentJobError('receiver answered HTTP 410')))],
    });
    await r.runOnce();
    expect(await jobRow(db.current, id)).toMatchObject({
      status: 'dead',
      attempts: 1,
      last_error: 'receiver answered HTTP 410',
    });
  });

  it('drains: finishes quick jobs, releases the ones still running when the budget ends', async () => {
    await db.current.sql`truncate jobs`;
    const quick = await add('payout.settle', { date: '2026-11-06' });
    const stuck = await add('payout.settle', { date: '2026-11-07' });
    let started = 0;
    const r = runner({
      handlers: [
        handler(async (_n, signal) => {
          started++;
          if (started === 1) return;
          // The second job only ends when the drain aborts it.
          await new Promise((_resolve, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason)),
          );
        }),
      ],
    });
    r.start();
    await expect.poll(() => started, { timeout: 10_000 }).toBe(2);
    const result = await r.stop(50);
    expect(result.released).toBe(1);
    expect((await jobRow(db.current, quick)).status).toBe('completed');
    // Released without using the attempt, no lease left behind.
    expect(await jobRow(db.current, stuck)).toMatchObject({ status: 'queued', attempts: 0, locked_by: null });
  });

  it('prefetch: holds claimed jobs beyond its slots, runs them in turn, and releases unstarted ones on stop', async () => {
    await db.current.sql`truncate jobs`;
    for (let i = 1; i <= 8; i++) await add('payout.settle', { date: `2026-10-0${i}` });
    const gates: (() => void)[] = [];
    const seen: Seen = [];
    const r = runner({
      handlers: [
        handler(
          (_n, signal) =>
            new Promise<void>((resolve, reject) => {
              gates.push(resolve);
              signal.addEventListener('abort', () => reject(signal.reason));
            }),
          seen,
        ),
      ],
      typeConcurrency: { 'payout.settle': 2 },
      prefetch: 3,
      batchSize: 10,
    });
    r.start();
    // Two running, three claimed ahead: five jobs locked by this worker, three still queued.
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(2);
    const byStatus = async () =>
      Object.fromEntries(
        (await db.current.sql`select status, count(*)::int as n from jobs group by status`).map((row) => [
          row.status,
          row.n,
        ]),
      );
    await expect.poll(byStatus, { timeout: 10_000 }).toEqual({ running: 5, queued: 3 });
    expect(r.laneStats()['payout.settle']).toMatchObject({ slots: 2, busy: 2 });
    // Finishing one job starts the next prefetched one, oldest first.
    gates.shift()!();
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(3);
    expect(seen.map((s) => s.id)).toEqual([...seen.map((s) => s.id)].sort((a, b) => a - b));
    // Stop: the two running ones are aborted and released, and so are the unstarted prefetched ones.
    const result = await r.stop(50);
    const rows = await db.current.sql`select status, attempts, locked_by from jobs order by id`;
    expect(rows.filter((row) => row.status === 'completed')).toHaveLength(1);
    expect(rows.filter((row) => row.status === 'queued')).toHaveLength(7);
    expect(rows.every((row) => row.locked_by === null)).toBe(true);
    // Released jobs keep their attempt budget: none of the unstarted ones used an attempt.
    expect(rows.filter((row) => row.status === 'queued' && row.attempts > 0)).toEqual([]);
    expect(result.released).toBeGreaterThanOrEqual(4);
  });
});
