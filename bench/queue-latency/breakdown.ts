/**
 * Where our enqueue → handler start interval goes, one timestamp per step, under the same
 * trickle as `queue-peers` (one job every 10 ms through the production `enqueue`, the real
 * JobRunner with LISTEN on, the suite's throwaway PostgreSQL):
 *
 *   npx tsx bench/queue-latency/breakdown.ts [best|defaults] [jobs]
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
import { createDatabase, enqueue, JOBS_CHANNEL, migrateDatabase } from '@payday/db';
import { defineHandler, JobRunner } from '@payday/worker';
import { pino } from 'pino';
import postgres from 'postgres';
import { z } from 'zod';
import { type BenchContext, percentile } from '../harness.js';
import { planCpus } from '../pinning.js';
import { startBenchPostgres } from '../postgres.js';
import { BEST } from '../queue-crash/settings.js';

const mode = process.argv[2] === 'defaults' ? 'defaults' : 'best';
const count = Number(process.argv[3] ?? 200);
const now = () => performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tmpDir = await mkdtemp(join(tmpdir(), 'bench-latency-'));
const ctx: BenchContext = {
  quick: false,
  cpus: planCpus({ disabled: true }),
  pinServer: () => {},
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
  (database.sql as { unsafe: unknown }).unsafe = (query: string, ...rest: unknown[]) => {
    const pending = (unsafe as (...a: unknown[]) => Promise<{ payload: unknown }[]>)(query, ...rest);
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
  runner.start();
  while (runner.listener?.state !== 'listening') await sleep(5);
  for (let i = 0; i < count; i++) {
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
  for (let waited = 0; started.filter(Boolean).length < count && waited < 5000; waited += 10) await sleep(10);
  await runner.stop(1000);
  const steps: Record<string, number[]> = {
    'enqueue → start (total)': [],
    'enqueue call': [],
    'enqueued → claim sent': [],
    'claim statement': [],
    'claim reply → handler': [],
  };
  for (let i = 0; i < count; i++) {
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
      `${mode} ${step.padEnd(24)} p50 ${percentile(v, 50).toFixed(2)} ms  p99 ${percentile(v, 99).toFixed(2)} ms  (${v.length} jobs)\n`,
    );
  }
  process.stdout.write(
    `${mode} claims ${claims} (${emptyClaims} empty), notifications ${notifications} for ${count} enqueues\n`,
  );
  await listener.end();
  await database.close();
} finally {
  await pg.stop();
  await rm(tmpDir, { recursive: true, force: true });
}
