import { createDatabase, enqueue, rescueExpiredLeases } from '@payday/db';
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

/** Jobs by status, `{ queued: n, running: m, … }`. */
const byStatus = async () =>
  Object.fromEntries(
    (await db.current.sql`select status, count(*)::int as n from jobs group by status`).map((row) => [
      row.status,
      row.n,
    ]),
  );

/** Jobs a worker holds (claimed, running or waiting in its lane). */
const lockedBy = async (workerId: string) =>
  (await db.current.sql`select count(*)::int as n from jobs where locked_by = ${workerId}`)[0]!.n;

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

/**
 * A handler body that waits on `wait` and records how many of its runs overlapped at most
 * (`mostAtOnce`), to check a lane never runs more jobs than its slots.
 */
function overlapCounter(wait: () => Promise<unknown>) {
  const counter = {
    running: 0,
    mostAtOnce: 0,
    async run(): Promise<void> {
      counter.running++;
      counter.mostAtOnce = Math.max(counter.mostAtOnce, counter.running);
      await wait();
      counter.running--;
    },
  };
  return counter;
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

/**
 * A pool of its own whose claim replies wait at a gate (the statement has run and committed;
 * only its answer is held), so a test can hold claims in flight and look at the lane meanwhile.
 * `sent` lists each claim's limit and the lane's state when it went out.
 */
function gatedClaims(runnerOf: () => JobRunner | undefined) {
  const database = createDatabase(db.current.test.url, { max: 6 });
  const held: (() => void)[] = [];
  const sent: { limit: number; busy: number; queued: number; asked: number }[] = [];
  let open = false;
  let asked = 0;
  const unsafe = database.sql.unsafe.bind(database.sql);
  (database.sql as { unsafe: unknown }).unsafe = (query: string, params?: unknown[], options?: object) => {
    const reply = unsafe(query, params as never, options);
    if (!query.startsWith('WITH next AS') || !query.includes('type = $5')) return reply;
    const limit = Number(params![1]);
    const lane = runnerOf()!.laneStats()['payout.settle']!;
    asked += limit;
    sent.push({ limit, busy: lane.busy, queued: lane.queued, asked });
    return reply.then(async (rows) => {
      if (!open) await new Promise<void>((resolve) => held.push(resolve));
      asked -= limit;
      return rows;
    });
  };
  return {
    database,
    sent,
    /** Claims whose answer waits at the gate. */
    waiting: () => held.length,
    /** Lets the answers held now through; later ones still wait. */
    release() {
      for (const h of held.splice(0)) h();
    },
    /** Lets every held answer through, and every later one at once. */
    open() {
      open = true;
      for (const h of held.splice(0)) h();
    },
  };
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

  it('a drain gives the jobs claimed ahead back at once, while the running ones still finish', async () => {
    await db.current.sql`truncate jobs`;
    const ids: number[] = [];
    for (let i = 1; i <= 3; i++) ids.push(await add('payout.settle', { date: `2026-07-0${i}` }));
    const gates: (() => void)[] = [];
    const seen: Seen = [];
    const r = runner({
      handlers: [handler(() => new Promise<void>((resolve) => gates.push(resolve)), seen)],
      typeConcurrency: { 'payout.settle': 1 },
      prefetch: 2,
      batchSize: 10,
    });
    r.start();
    // One running, two claimed ahead.
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(1);
    const states = async () =>
      (await db.current.sql`select status, attempts from jobs order by id`).map((row) => ({ ...row }));
    await expect.poll(states, { timeout: 10_000 }).toEqual(Array(3).fill({ status: 'running', attempts: 1 }));
    const stopping = r.stop(60_000);
    let drained: Awaited<typeof stopping> | undefined;
    try {
      // The heartbeat stops extending the jobs claimed ahead once the drain begins: held until
      // the running job finishes, their leases could expire (the drain budget may exceed the
      // lease) and the rescue would count the attempt they never ran, or dead-letter them.
      // Given back at once, another worker runs them now.
      await expect.poll(states, { timeout: 5_000 }).toEqual([
        { status: 'running', attempts: 1 },
        { status: 'queued', attempts: 0 },
        { status: 'queued', attempts: 0 },
      ]);
    } finally {
      for (const g of gates.splice(0)) g();
      drained = await stopping;
    }
    expect(drained).toEqual({ finished: 1, released: 2 });
    expect(await states()).toEqual([
      { status: 'completed', attempts: 1 },
      { status: 'queued', attempts: 0 },
      { status: 'queued', attempts: 0 },
    ]);
    expect(seen.map((s) => s.id)).toEqual([ids[0]]);
  });

  it('never starts a job claimed ahead whose lease ran out while it waited (another worker may hold it now)', async () => {
    await db.current.sql`truncate jobs`;
    const ids: number[] = [];
    for (let i = 1; i <= 3; i++) ids.push(await add('payout.settle', { date: `2026-06-0${i}` }));
    const clock = new ManualClock(T0);
    const gates: (() => void)[] = [];
    const seenHere: Seen = [];
    const r = runner({
      handlers: [handler(() => new Promise<void>((resolve) => gates.push(resolve)), seenHere)],
      typeConcurrency: { 'payout.settle': 1 },
      prefetch: 2,
      clock,
    });
    r.start();
    try {
      await expect.poll(() => seenHere.length, { timeout: 10_000 }).toBe(1);
      await expect
        .poll(() => lockedBy('test-worker'), {
          timeout: 10_000,
        })
        .toBe(3);
      // No heartbeat got through for a whole lease (the database was unreachable, the pool
      // exhausted): the leases expire, the rescue gives the jobs back and another worker runs them.
      clock.advance(31_000);
      const later = clock.now();
      expect(await rescueExpiredLeases(db.current.sql, { now: later })).toHaveLength(3);
      const seenThere: Seen = [];
      const other = runner({ workerId: 'other', handlers: [handler(async () => {}, seenThere)], clock });
      expect(await other.runOnce()).toBe(3);
      // The first job ends here: its slot must not start one of the two it holds claimed ahead.
      gates.shift()!();
      await expect
        .poll(() => seenHere.length > 1 || r.laneStats()['payout.settle']!.busy === 0, { timeout: 10_000 })
        .toBe(true);
      expect(seenHere.map((s) => s.id)).toEqual([ids[0]]);
      expect(seenThere.map((s) => s.id).sort((a, b) => a - b)).toEqual(ids);
    } finally {
      for (const g of gates.splice(0)) g();
      await r.stop(1000);
    }
  });

  it('claim-ahead: with room for a whole batch it claims the next one while holding one, never running more than its slots', async () => {
    await db.current.sql`truncate jobs`;
    for (let i = 1; i <= 14; i++)
      await add('payout.settle', { date: `2026-09-${String(i).padStart(2, '0')}` });
    const gates: (() => void)[] = [];
    const seen: Seen = [];
    const overlap = overlapCounter(() => new Promise<void>((resolve) => gates.push(resolve)));
    const r = runner({
      handlers: [handler(() => overlap.run(), seen)],
      typeConcurrency: { 'payout.settle': 2 },
      batchSize: 3,
      prefetch: 9,
    });
    r.start();
    try {
      // Batch 1 (3) fills both slots and leaves one waiting: fewer than a round, so batch 2 (3)
      // comes at once; then room for a whole batch remains, so batch 3 (3) is claimed ahead too.
      // Room for two more is less than a batch: the lane waits. 2 running + 7 held = 9 claimed.
      await expect.poll(byStatus, { timeout: 10_000 }).toEqual({ running: 9, queued: 5 });
      expect(seen).toHaveLength(2);
      expect(r.laneStats()['payout.settle']).toMatchObject({ slots: 2, busy: 2, claims: 3, emptyClaims: 0 });
      // Let every job finish as it comes: all 14 run once, at most two at a time.
      const release = setInterval(() => gates.shift()?.(), 5);
      try {
        await expect.poll(async () => (await byStatus()).completed, { timeout: 10_000 }).toBe(14);
      } finally {
        clearInterval(release);
      }
      expect(overlap.mostAtOnce).toBe(2);
      expect(new Set(seen.map((s) => s.id)).size).toBe(14);
      expect(seen).toHaveLength(14);
    } finally {
      for (const g of gates.splice(0)) g();
      await r.stop(1000);
    }
  });

  it('pipelined claims: with room for two batches it sends the second before the first answers, never asking beyond slots + prefetch', async () => {
    await db.current.sql`truncate jobs`;
    for (let i = 1; i <= 30; i++)
      await add('payout.settle', { date: `2026-05-${String(i).padStart(2, '0')}` });
    let r: JobRunner | undefined;
    const gate = gatedClaims(() => r);
    const seen: Seen = [];
    const overlap = overlapCounter(() => new Promise((resolve) => setTimeout(resolve, 2)));
    r = runner({
      database: gate.database,
      handlers: [handler(() => overlap.run(), seen)],
      typeConcurrency: { 'payout.settle': 2 },
      batchSize: 3,
      prefetch: 9,
    });
    r.start();
    try {
      // The first claim alone (the queue was not known to hold a full batch yet); let it answer.
      await expect.poll(gate.waiting, { timeout: 10_000 }).toBe(1);
      gate.open();
      await expect.poll(async () => (await byStatus()).completed, { timeout: 10_000 }).toBe(30);
    } finally {
      gate.open();
      await r.stop(1000);
      await gate.database.close();
    }
    // Some claim went out while another was unanswered, and every claim, with those in flight,
    // fit the lane's bound: 2 slots + 9 claimed ahead.
    expect(gate.sent.some((c) => c.asked > c.limit)).toBe(true);
    for (const c of gate.sent) expect(c.busy + c.queued + c.asked).toBeLessThanOrEqual(11);
    expect(overlap.mostAtOnce).toBe(2);
    expect(seen).toHaveLength(30);
    expect(new Set(seen.map((s) => s.id)).size).toBe(30);
  });

  it('a drain with two claims unanswered waits for their answers and gives back every job they claimed', async () => {
    await db.current.sql`truncate jobs`;
    for (let i = 1; i <= 20; i++)
      await add('payout.settle', { date: `2026-04-${String(i).padStart(2, '0')}` });
    let r: JobRunner | undefined;
    const gate = gatedClaims(() => r);
    const seen: Seen = [];
    r = runner({
      database: gate.database,
      handlers: [
        handler(
          (_n, signal) =>
            new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
          seen,
        ),
      ],
      typeConcurrency: { 'payout.settle': 2 },
      batchSize: 3,
      prefetch: 9,
    });
    r.start();
    let result: Awaited<ReturnType<JobRunner['stop']>> | undefined;
    try {
      // The first claim answers: two running, one waiting; the next claim and one more ahead of
      // it go out and their answers wait at the gate (their jobs are claimed in the database).
      await expect.poll(gate.waiting, { timeout: 10_000 }).toBe(1);
      gate.release();
      await expect.poll(gate.waiting, { timeout: 10_000 }).toBe(2);
      expect(r.laneStats()['payout.settle']).toMatchObject({ busy: 2, queued: 1, claiming: 2 });
      await expect.poll(() => lockedBy('test-worker'), { timeout: 10_000 }).toBe(9);
      const stopping = r.stop(50);
      // The drain waits for the two answers; they arrive only now.
      await new Promise((resolve) => setTimeout(resolve, 50));
      gate.open();
      result = await stopping;
    } finally {
      gate.open();
      if (r.running) await r.stop(0);
      await gate.database.close();
    }
    // Nothing stays claimed: the two running ones were aborted and released, the waiting one
    // and both late answers given back, every one without an attempt used.
    expect(await byStatus()).toEqual({ queued: 20 });
    expect(await lockedBy('test-worker')).toBe(0);
    expect((await db.current.sql`select count(*)::int as n from jobs where attempts > 0`)[0]!.n).toBe(0);
    expect(result).toEqual({ finished: 0, released: 9 });
    expect(seen).toHaveLength(2);
  });

  it('a worker that dies holding jobs claimed ahead loses none, and none of their effects runs twice', async () => {
    await db.current.sql`truncate jobs`;
    await db.current.sql`create table if not exists effects (job_id bigint not null)`;
    await db.current.sql`truncate effects`;
    for (let i = 1; i <= 12; i++)
      await add('payout.settle', { date: `2026-08-${String(i).padStart(2, '0')}` });
    // The effect commits with the completion, in the job's transaction (apps/worker/README.md).
    const effect = (hang: boolean) =>
      defineHandler({
        type: 'payout.settle',
        payload: z.strictObject({ date: z.iso.date() }),
        backoff: { baseMs: 1000, capMs: 60_000, jitter: 0 },
        async run(_payload, ctx) {
          // Hangs until aborted (only to end the dead worker's promises when the test is done).
          if (hang) await new Promise((_, reject) => ctx.signal.addEventListener('abort', reject));
          await ctx.database.db.transaction(async (tx) => {
            await tx.execute(sql`insert into effects (job_id) values (${ctx.job.id})`);
            await ctx.complete(tx);
          });
        },
      });
    // The dying worker: its own pool, two slots busy with jobs that never get to commit, seven
    // more claimed ahead. Then its connections go away, as when the process is SIGKILLed.
    const dyingPool = createDatabase(db.current.test.url, { max: 4 });
    const dying = runner({
      database: dyingPool,
      workerId: 'dying',
      handlers: [effect(true)],
      typeConcurrency: { 'payout.settle': 2 },
      batchSize: 3,
      prefetch: 9,
      clock: new ManualClock(T0),
    });
    dying.start();
    await expect
      .poll(() => lockedBy('dying'), {
        timeout: 10_000,
      })
      .toBe(9);
    await dyingPool.close(0);

    // After the lease, the rescue gives its nine jobs back and a fresh worker drains everything.
    const later = new Date(T0.getTime() + 31_000);
    expect(await rescueExpiredLeases(db.current.sql, { now: later })).toHaveLength(9);
    const fresh = runner({
      workerId: 'fresh',
      handlers: [effect(false)],
      typeConcurrency: { 'payout.settle': 2 },
      batchSize: 3,
      prefetch: 9,
      clock: new ManualClock(later),
    });
    let ran = 0;
    for (let n = await fresh.runOnce(); n > 0; n = await fresh.runOnce()) ran += n;
    expect(ran).toBe(12);
    const effects = await db.current.sql`select job_id, count(*)::int as n from effects group by job_id`;
    expect(effects).toHaveLength(12);
    expect(effects.every((e) => e.n === 1)).toBe(true);
    const rows = await db.current.sql`select status, attempts from jobs`;
    expect(rows.every((row) => row.status === 'completed')).toBe(true);
    // The nine the dead worker held used the attempt their claim counted; the rest one attempt.
    expect(rows.filter((row) => row.attempts === 2)).toHaveLength(9);
    expect(rows.filter((row) => row.attempts === 1)).toHaveLength(3);
    // The dead worker's loops and handlers end here; its pool is gone, so its releases fail,
    // and the drain still ends instead of rejecting (the leases expire, the rescue took over).
    expect((await dying.stop(0)).released).toBe(0);
    expect(await db.current.sql`select count(*)::int as n from effects`).toEqual([{ n: 12 }]);
  });
});
