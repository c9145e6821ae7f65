/**
 * Worker queue throughput. A no-op job type drained by the real JobRunner's own loop
 * (`JobRunner.start()`, what the deployed worker runs; it stops once the last completion committed):
 *  - unbatched (batch 1, concurrency 1: one job per claim, one slot) vs `pgbench` running the
 *    worker's exact claim-and-complete SQL (CLAIM_SQL + COMPLETE_SQL from @payday/db, one job per
 *    pgbench transaction, one client, prepared, autocommit like the worker) against the same
 *    server at the same durability;
 *  - batched (claim 100, 100 slots, completions batched into one UPDATE) vs unbatched;
 *  - the batched rate after 500k finished jobs, without a manual VACUUM (autovacuum and the
 *    worker's own pruning only), vs the fresh batched rate.
 * Until this suite drained with `start()` it stepped `JobRunner.runOnce()` (claim, run, complete,
 * repeat), which only tests call: no deployed worker takes that path. At batch 1 the real loop
 * sends the next claim while the previous job's completion is still in flight, where `runOnce`
 * waited for each completion before claiming again, so the old figure timed a worker that does not
 * exist (bench/README.md, "The unbatched worker: timing the loop the worker runs"). pgbench's
 * baseline is unchanged: one client, strictly claim then complete.
 * Goals: unbatched ≥ 0.6× pgbench; batched ≥ 5× unbatched; after churn ≥ 0.8× fresh.
 * Durability is explicit and identical for both sides: fsync=on, synchronous_commit=on.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CLAIM_SQL,
  COMPLETE_SQL,
  createDatabase,
  type Database,
  migrateDatabase,
  pruneJobs,
} from '@payday/db';
import { defineHandler, JobRunner } from '@payday/worker';
import { pino } from 'pino';
import { z } from 'zod';
import {
  type BenchSuite,
  compare,
  failedMeasurement,
  interleave,
  type Measurement,
  stats,
} from '../harness.js';
import { hasPgbench, PGBENCH_MISSING, pgbenchTps } from '../pgbench.js';
import { startBenchPostgres } from '../postgres.js';

/** The same durability for the app and pgbench: a commit is on disk when it returns. */
const DURABLE = { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on', max_connections: 100 };

const noop = defineHandler({
  type: 'bench.noop',
  payload: z.object({}),
  backoff: { baseMs: 1000, capMs: 1000, jitter: 0 },
  async run() {},
});

async function seed(database: Database, n: number): Promise<void> {
  await database.sql`insert into jobs (type, payload, run_at)
    select 'bench.noop', '{}'::jsonb, now() - interval '1 second' from generate_series(1, ${n})`;
}

type RunnerMetrics = NonNullable<ConstructorParameters<typeof JobRunner>[0]['metrics']>;

/**
 * Drains `expected` due jobs with the worker's own loop (`JobRunner.start()`, what `npm start` and
 * the deployed worker run) at `batch` jobs per claim and `batch` slots; returns jobs/s from
 * `start()` to the commit of the last completion (the runner records a job as completed once its
 * completing UPDATE returned), then stops the runner. No LISTEN: the jobs are there before it
 * starts, and a lane whose claim came back full claims again as soon as a slot frees.
 */
async function drain(database: Database, batch: number, expected: number): Promise<number> {
  let completed = 0;
  let allDone: () => void = () => {};
  let failed: (err: Error) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    allDone = resolve;
    failed = reject;
  });
  const metrics = {
    jobProcessed(_type: string, outcome: string) {
      if (outcome !== 'completed') failed(new Error(`a no-op bench job ended ${outcome}`));
      else if (++completed === expected) allDone();
    },
    webhookDelivery() {},
    setQueueDepth() {},
  } as unknown as RunnerMetrics;
  const runner = new JobRunner({
    database,
    handlers: [noop],
    workerId: `bench-${batch}`,
    concurrency: batch,
    batchSize: batch,
    pollIntervalMs: 10,
    leaseMs: 60_000,
    log: pino({ level: 'silent' }),
    metrics,
  });
  const t0 = performance.now();
  runner.start();
  let seconds: number;
  let timer: NodeJS.Timeout | undefined;
  try {
    // A completion the runner could not record (its lease lost, the UPDATE failed) is logged,
    // not counted: fail the drain instead of waiting for the suite's time limit.
    const capMs = 300_000;
    await Promise.race([
      done,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`completed ${completed} of ${expected} jobs within ${capMs} ms`)),
          capMs,
        );
      }),
    ]);
    seconds = (performance.now() - t0) / 1000;
  } finally {
    clearTimeout(timer);
    await runner.stop(1000);
  }
  const [{ left }] = (await database.sql`
    select count(*)::int as left from jobs where status <> 'completed'`) as unknown as [{ left: number }];
  if (completed !== expected || left !== 0)
    throw new Error(`completed ${completed} jobs (${left} not completed), expected ${expected}`);
  return expected / seconds;
}

/** The pgbench script: the worker's statements with pgbench variables for the parameters. */
export function pgbenchScript(): string {
  const claim = CLAIM_SQL.replaceAll('$1::timestamptz', 'NULL::timestamptz')
    .replace('$2', '1')
    .replace('$3', "'pgbench'")
    .replace('$4', '60000')
    .replace('$5::text', "'bench.noop'::text");
  const complete = COMPLETE_SQL.replace('$1::timestamptz', 'NULL::timestamptz')
    .replace('$2::bigint[]', 'ARRAY[:id]::bigint[]')
    .replace('$3', "'pgbench'");
  const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
  return `${oneLine(claim)} \\gset\n${oneLine(complete)};\n`;
}

const suite: BenchSuite = {
  name: 'worker',
  pinning: 'client-server',
  description:
    'Job queue: no-op jobs/s unbatched and batched vs pgbench on the same SQL; rate after 500k finished jobs',
  async run(ctx) {
    const n = ctx.quick ? 200 : 2000;
    const nBatched = ctx.quick ? 1000 : 20_000;
    const churn = ctx.quick ? 3000 : 500_000;
    // bench/postgres.ts: throwaway cluster, pinned to the server cores; the worker (in this
    // process) and pgbench (spawned from it) share the load-generator core.
    const pg = await startBenchPostgres(ctx, DURABLE);
    const out: Measurement[] = [];
    try {
      await migrateDatabase(pg.url);
      const database = createDatabase(pg.url, { max: 20 });
      try {
        const fresh = async (fn: () => Promise<number>, size: number) => {
          await database.sql`truncate jobs`;
          await seed(database, size);
          return fn();
        };
        if (hasPgbench()) {
          const script = join(ctx.tmpDir, 'claim-complete.sql');
          await writeFile(script, pgbenchScript());
          const oursRound = () => fresh(() => drain(database, 1, n), n);
          const pgbenchRound = () =>
            fresh(() => pgbenchTps(pg.url, { script, clients: 1, transactions: n }), n);
          // One unmeasured round of each side first, as the other suites warm up: the first
          // drain in this process runs the runner's code before V8 has compiled it, and at
          // batch 1 that showed as the slowest round of nearly every run (bench/README.md,
          // "The unbatched worker: the first round").
          ctx.progress(`unbatched worker vs pgbench: warm-up round, ${n} jobs each`);
          await oursRound();
          await pgbenchRound();
          ctx.progress(`unbatched worker vs pgbench, ${n} jobs per round`);
          const unbatched = await interleave(ctx.rounds, oursRound, pgbenchRound);
          out.push(
            compare('worker.unbatched-vs-pgbench', 'jobs/s', unbatched, 'pgbench, same claim+complete SQL', {
              op: '>=',
              value: 0.6,
            }),
          );
        } else if (ctx.quick) {
          // The smoke run (and so `npm test`) needs no PostgreSQL client tools: it leaves out
          // the one comparison that does, and says so.
          ctx.progress(`${PGBENCH_MISSING}; worker.unbatched-vs-pgbench left out of this quick run`);
        } else {
          out.push(failedMeasurement('worker.unbatched-vs-pgbench', 'jobs/s', PGBENCH_MISSING));
        }

        ctx.progress(`batched (100) vs unbatched, ${nBatched} / ${n} jobs per round`);
        const batched = await interleave(
          ctx.rounds,
          () => fresh(() => drain(database, 100, nBatched), nBatched),
          () => fresh(() => drain(database, 1, n), n),
        );
        out.push(
          compare('worker.batched-vs-unbatched', 'jobs/s', batched, 'unbatched worker', {
            op: '>=',
            value: 5,
          }),
        );

        ctx.progress(`churn: ${churn} jobs through the batched worker without manual VACUUM`);
        await database.sql`truncate jobs`;
        const freshRates: number[] = [];
        for (let i = 0; i < ctx.rounds; i++)
          freshRates.push(await fresh(() => drain(database, 100, nBatched), nBatched));
        // Keep finished jobs as production does between prunes (retention), then let the worker's
        // pruning and autovacuum do their job while the churn runs.
        const chunk = Math.min(50_000, churn);
        for (let done = 0; done < churn; done += chunk) {
          await seed(database, chunk);
          await drain(database, 100, chunk);
          const pruned = await pruneJobs(database.sql, {
            completedBefore: new Date(Date.now() - 60_000),
            deadBefore: new Date(Date.now() - 60_000),
          });
          ctx.progress(`  ${done + chunk}/${churn} finished (${pruned} pruned)`);
        }
        const afterRates: number[] = [];
        for (let i = 0; i < ctx.rounds; i++) {
          await seed(database, nBatched);
          afterRates.push(await drain(database, 100, nBatched));
        }
        // Whether autovacuum ever got to the table decides what the claims walk (bench/README.md,
        // "Churn: where the time went"), so the note says how often it did.
        const [{ dead_tuples, live_tuples, autovacuums }] = (await database.sql`
          select n_dead_tup::int as dead_tuples, n_live_tup::int as live_tuples, autovacuum_count::int as autovacuums
            from pg_stat_user_tables where relname = 'jobs'`) as unknown as [
          { dead_tuples: number; live_tuples: number; autovacuums: number },
        ];
        out.push(
          compare(
            'worker.after-500k-churn',
            'jobs/s',
            { ours: stats(afterRates), baseline: stats(freshRates) },
            'fresh table, batched',
            { op: '>=', value: 0.8 },
            `${churn} jobs finished before measuring; jobs table then had ${live_tuples} live / ${dead_tuples} dead tuples, ${autovacuums} autovacuum run(s) on it since the server started`,
          ),
        );
      } finally {
        await database.close();
      }
    } finally {
      await pg.stop();
    }
    return out;
  },
};

export default suite;
