/**
 * The worker process the queue crash measure SIGKILLs (bench/queue-crash/crash.ts): one queue
 * library's worker, concurrency 10, whose handler records each run of job `k` as a row in
 * `crash_runs` (the side effect counted afterwards) after 10 ms of simulated work.
 *
 *   node --import tsx bench/queue-crash/worker.ts <ours|graphile-worker|pg-boss> <database url>
 *
 * Prints `ready` on stdout once its worker is running, then runs until it is killed.
 * Every worker runs its library's best documented throughput settings (settings.ts `BEST`, the
 * ones the `queue-peers` drain uses in its "best" mode); the crash knobs (lease or expiry 2 s,
 * checked every second) are the same for all.
 * How each library records the side effect is its own documented way, where it has one, to make
 * the effect commit with the job's completion:
 *  - ours: the insert and `ctx.complete(tx)` in one transaction (apps/worker/README.md);
 *  - pg-boss: `work(…, { transactional: true })`, the insert through the handler's `db`
 *    (pg-boss 12.38 types.d.ts, WorkOptions.transactional);
 *  - graphile-worker: none (a task gets `helpers.withPgClient`, a pooled client outside the
 *    completion's transaction), so the insert commits on its own.
 */
import { createDatabase, rescueExpiredLeases } from '@payday/db';
import { defineHandler, JobRunner } from '@payday/worker';
import { sql } from 'drizzle-orm';
import { Logger, run } from 'graphile-worker';
import { PgBoss } from 'pg-boss';
import { pino } from 'pino';
import { z } from 'zod';
import { BEST, CRASH, CRASH_PG_BOSS_BATCH, CRASH_QUEUE, type CrashPeer } from './settings.js';

const work = () => new Promise((r) => setTimeout(r, CRASH.handlerMs));

async function ours(url: string): Promise<void> {
  const database = createDatabase(url, { max: CRASH.concurrency + 4 });
  const handler = defineHandler({
    type: CRASH_QUEUE,
    payload: z.object({ k: z.number() }),
    backoff: { baseMs: 1000, capMs: 1000, jitter: 0 },
    async run({ k }, ctx) {
      await work();
      await ctx.database.db.transaction(async (tx) => {
        await tx.execute(sql`insert into crash_runs (k) values (${k})`);
        await ctx.complete(tx);
      });
    },
  });
  const runner = new JobRunner({
    database,
    handlers: [handler],
    workerId: `crash-${process.pid}`,
    concurrency: CRASH.concurrency,
    ...BEST.ours,
    // The lease, shortened for every peer alike.
    leaseMs: CRASH.leaseSeconds * 1000,
    log: pino({ level: 'silent' }),
    listen: true,
  });
  runner.start();
  // The worker's maintenance loop rescues expired leases (apps/worker/src/runner/maintenance.ts);
  // only that task of it matters here, at the interval every peer checks for expired jobs.
  setInterval(() => void rescueExpiredLeases(database.sql).catch(() => {}), CRASH.expiryCheckSeconds * 1000);
}

async function graphile(connectionString: string): Promise<void> {
  await run({
    connectionString,
    concurrency: CRASH.concurrency,
    noHandleSignals: true,
    logger: new Logger(() => () => {}),
    preset: { worker: BEST.graphile },
    taskList: {
      [CRASH_QUEUE]: async (payload, helpers) => {
        await work();
        await helpers.withPgClient((c) =>
          c.query('insert into crash_runs (k) values ($1)', [(payload as { k: number }).k]),
        );
      },
    },
  });
}

async function pgBoss(connectionString: string): Promise<void> {
  const boss = new PgBoss({
    connectionString,
    // Expired `active` jobs are found by the supervisor; check as often as pg-boss allows.
    supervise: true,
    superviseIntervalSeconds: CRASH.expiryCheckSeconds,
    monitorIntervalSeconds: CRASH.expiryCheckSeconds,
    schedule: false,
  });
  boss.on('error', () => {});
  boss.on('warning', () => {});
  await boss.start();
  await boss.work(
    CRASH_QUEUE,
    {
      localConcurrency: CRASH.concurrency,
      transactional: true,
      ...BEST.pgBoss,
      batchSize: CRASH_PG_BOSS_BATCH,
    },
    async (jobs, db) => {
      for (const job of jobs) {
        await work();
        await db.executeSql('insert into crash_runs (k) values ($1)', [(job.data as { k: number }).k]);
      }
    },
  );
}

const [peer, url] = process.argv.slice(2) as [CrashPeer, string];
const start = { ours, 'graphile-worker': graphile, 'pg-boss': pgBoss }[peer];
if (!start || !url) {
  process.stderr.write('usage: worker.ts <ours|graphile-worker|pg-boss> <database url>\n');
  process.exit(2);
}
await start(url);
process.stdout.write('ready\n');
