/**
 * Where our enqueue → handler start interval goes, one timestamp per step, under the same
 * trickle as `queue-peers` (one job every 10 ms through the production `enqueue`, the real
 * JobRunner with LISTEN on, the suite's throwaway PostgreSQL):
 *
 *   npx tsx bench/queue-latency/breakdown.ts [best|defaults] [jobs] [rounds]
 *
 * Per job: the enqueue call (drizzle, the INSERT with its wake-up notification, the commit), from its
 * return to the start of the claim that took the job (the NOTIFY's delivery, the listener, the
 * lane's wake-up), the claim statement, and from the claim's reply to the handler's first line
 * (payload parse, span, dispatch). Claims are timed by wrapping the pool's `unsafe` (the runner's
 * claim statements go through it); notifications are also counted on a second connection.
 * Prints p50 and p99 of each step; the figures depend on the machine's load, the split less so.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { COMPLETE_SQL, createDatabase, enqueue, JOBS_CHANNEL, migrateDatabase } from '@payday/db';
import { defineHandler, JobRunner } from '@payday/worker';
import { pino } from 'pino';
import postgres from 'postgres';
import { z } from 'zod';
import { type BenchContext, percentile } from '../harness.js';
import { pinTree, planCpus } from '../pinning.js';
import { startBenchPostgres } from '../postgres.js';
import { BEST } from '../queue-crash/settings.js';

const mode = process.argv[2] === 'defaults' ? 'defaults' : 'best';
const count = Number(process.argv[3] ?? 200);
const rounds = Number(process.argv[4] ?? 1);
const now = () => performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tmpDir = await mkdtemp(join(tmpdir(), 'bench-latency-'));
// Pinned as `npm run bench` pins queue-peers: this process on the load core, PostgreSQL on the
// server cores (bench/pinning.ts), so the tail is the suite's tail.
const cpus = planCpus();
if (cpus.enabled) pinTree(process.pid, cpus.load);
const ctx: BenchContext = {
  quick: false,
  cpus,
  pinServer: (pid) => {
    if (cpus.enabled && pid) pinTree(pid, cpus.server);
  },
  rounds: 1,
  tmpDir,
  progress: (m) => process.stderr.write(`· ${m}\n`),
};
const pg = await startBenchPostgres(ctx);
try {
  await migrateDatabase(pg.url);
  const database = createDatabase(pg.url, { max: 20 });
  const sent: number[] = [];
  const enqueued: number[] = [];
  const started: number[] = [];
  const claimOf: { s: number; e: number }[] = [];
  let claims = 0;
  let emptyClaims = 0;
  const unsafe = database.sql.unsafe.bind(database.sql);
  // The runner's claims are the pool's only statements with SKIP LOCKED.
  // Completions, timed too: one waits for its WAL flush, and an enqueue that commits meanwhile
  // may wait for that flush before its own (the slow jobs below say how much they overlapped).
  const completions: { s: number; e: number }[] = [];
  (database.sql as { unsafe: unknown }).unsafe = (query: string, ...rest: unknown[]) => {
    const pending = (unsafe as (...a: unknown[]) => Promise<{ payload: unknown }[]>)(query, ...rest);
    if (query === COMPLETE_SQL) {
      const s = now();
      return pending.then((rows) => {
        completions.push({ s, e: now() });
        return rows;
      });
    }
    if (!query.includes('SKIP LOCKED')) return pending;
    const s = now();
    return pending.then((rows) => {
      const e = now();
      claims++;
      if (rows.length === 0) emptyClaims++;
      for (const r of rows) {
        const p = (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as { i?: string };
        if (p.i !== undefined) claimOf[Number(p.i)] = { s, e };
      }
      return rows;
    });
  };
  const listener = postgres(pg.url, { max: 1 });
  let notifications = 0;
  await listener.listen(JOBS_CHANNEL, () => notifications++);
  // Rounds as in the suite: a new runner per round on the same pool, so from round 2 on the
  // process is warm (its first round also pays for compiling the code on the path).
  for (let round = 0; round < rounds; round++) {
    const first = round * count;
    const runner = new JobRunner({
      database,
      handlers: [
        defineHandler({
          type: 'bench.noop',
          payload: z.object({ i: z.string().optional() }),
          backoff: { baseMs: 1000, capMs: 1000, jitter: 0 },
          async run(p) {
            if (p.i !== undefined) started[Number(p.i)] = now();
          },
        }),
      ],
      workerId: 'latency-breakdown',
      concurrency: 10,
      ...(mode === 'defaults' ? { batchSize: 10, pollIntervalMs: 500 } : BEST.ours),
      leaseMs: 60_000,
      log: pino({ level: 'silent' }),
      listen: true,
    });
    // Garbage-collection pauses on this thread during the trickle: a pause while a job is between
    // its enqueue and its handler adds to that job's latency.
    const gcs: { s: number; e: number }[] = [];
    const gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) gcs.push({ s: e.startTime, e: e.startTime + e.duration });
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    runner.start();
    while (runner.listener?.state !== 'listening') await sleep(5);
    for (let i = first; i < first + count; i++) {
      const t = now();
      sent[i] = t;
      await enqueue(database.db, {
        type: 'bench.noop' as 'payout.settle',
        payload: { i: String(i) } as unknown as { date: string },
      });
      enqueued[i] = now();
      const next = t + 10 - now();
      if (next > 0) await sleep(next);
    }
    for (let waited = 0; started.filter(Boolean).length < first + count && waited < 5000; waited += 10)
      await sleep(10);
    await runner.stop(1000);
    gcObserver.disconnect();
    const overlapMs = (spans: { s: number; e: number }[], from: number, to: number) =>
      spans.reduce((sum, g) => sum + Math.max(0, Math.min(g.e, to) - Math.max(g.s, from)), 0);
    const gcMs = (from: number, to: number) => overlapMs(gcs, from, to);
    const steps: Record<string, number[]> = {
      'enqueue → start (total)': [],
      'enqueue call': [],
      'enqueued → claim sent': [],
      'claim statement': [],
      'claim reply → handler': [],
    };
    for (let i = first; i < first + count; i++) {
      const c = claimOf[i];
      if (started[i] === undefined || !c) continue;
      steps['enqueue → start (total)']!.push(started[i]! - sent[i]!);
      steps['enqueue call']!.push(enqueued[i]! - sent[i]!);
      steps['enqueued → claim sent']!.push(c.s - enqueued[i]!);
      steps['claim statement']!.push(c.e - c.s);
      steps['claim reply → handler']!.push(started[i]! - c.e);
    }
    for (const [step, v] of Object.entries(steps)) {
      process.stdout.write(
        `${mode} round ${round + 1} ${step.padEnd(24)} p50 ${percentile(v, 50).toFixed(2)} ms  p99 ${percentile(v, 99).toFixed(2)} ms  (${v.length} jobs)\n`,
      );
    }
    process.stdout.write(
      `${mode} round ${round + 1} claims ${claims} (${emptyClaims} empty), notifications ${notifications} so far for ${first + count} enqueues\n`,
    );
    const trickleGc = gcMs(sent[first]!, started[first + count - 1] ?? now());
    process.stdout.write(
      `${mode} round ${round + 1} GC during the trickle: ${gcs.length} pauses, ${trickleGc.toFixed(1)} ms\n`,
    );
    // The tail, job by job: p99 of 200 is the second-slowest job, so which step made the slowest
    // ones slow says where a p99 comes from.
    const slowest = Array.from({ length: count }, (_, k) => first + k)
      .filter((i) => started[i] !== undefined && claimOf[i])
      .sort((a, b) => started[b]! - sent[b]! - (started[a]! - sent[a]!))
      .slice(0, 5);
    for (const i of slowest) {
      const c = claimOf[i]!;
      const ms = (v: number) => v.toFixed(2);
      process.stdout.write(
        `${mode} round ${round + 1} slow job ${i}: total ${ms(started[i]! - sent[i]!)} = enqueue ${ms(enqueued[i]! - sent[i]!)}` +
          ` + to claim ${ms(c.s - enqueued[i]!)} + claim ${ms(c.e - c.s)} + to handler ${ms(started[i]! - c.e)} ms` +
          ` (GC pauses within: ${ms(gcMs(sent[i]!, started[i]!))} ms;` +
          ` a completion in flight during the enqueue: ${ms(overlapMs(completions, sent[i]!, enqueued[i]!))} ms)\n`,
      );
    }
  }
  await listener.end();
  await database.close();
} finally {
  await pg.stop();
  await rm(tmpDir, { recursive: true, force: true });
}
