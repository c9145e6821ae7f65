/**
 * What the worker writes and sends per job, in counts that do not depend on how loaded the
 * machine is (bench/README.md, "Queue: wake-up, peers, and where the time goes"):
 *  - WAL bytes per job: `pg_current_wal_lsn()` before and after draining N jobs, and the
 *    per-record breakdown of that range from `pg_walinspect` (PostgreSQL docs, pg_walinspect);
 *  - statements per job (each is one round trip and, in autocommit, one transaction), from
 *    `pg_stat_statements` calls;
 *  - heap updates per job and how many of them were HOT (`pg_stat_user_tables`);
 *  - the worker's main-thread busy time per job (`performance.eventLoopUtilization`), the one
 *    figure here that load does inflate.
 * Each scenario gets a fresh database on one throwaway durable server (the bench's settings): the
 * unbatched path (claim 1, complete 1, stepped by `runOnce`: pgbench's script, one statement at a time) and
 * the "best settings" drain of `queue-peers` (concurrency 10 and `BEST.ours`, the same object), for
 * jobs without and with a `unique_key`, on the layouts in `LAYOUTS`, rebuilt in place.
 * A CHECKPOINT separates seeding from draining, so the first change of each page in the drain
 * logs a full-page image (a backlog that outlived a checkpoint); the records alone, without
 * those images, are printed beside the total, and the record breakdown excludes them.
 *
 *   npx tsx bench/queue-wal/measure.ts [--quick]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, type Database, migrateDatabase } from '@payday/db';
import { startEmbeddedPostgres } from '@payday/db/embedded';
import { freePort } from '@payday/db/testing';
import { defineHandler, JobRunner } from '@payday/worker';
import { pino } from 'pino';
import postgres from 'postgres';
import { z } from 'zod';
import { BENCH_PG_SETTINGS } from '../postgres.js';
import { BEST } from '../queue-crash/settings.js';

type Mode = 'unbatched' | 'best';
type Layout = 'before-0003' | 'current' | 'non-null-keys';

const noop = defineHandler({
  type: 'bench.noop',
  payload: z.object({}),
  backoff: { baseMs: 1000, capMs: 1000, jitter: 0 },
  async run() {},
});

/**
 * The layouts compared: the jobs table as it was before migration 0003 (fillfactor 100), as it
 * is, and as it is with the all-keys unique constraint swapped for a unique index on the
 * non-NULL keys (a later contract step, not a migration yet: the release before this one
 * enqueues with an `ON CONFLICT (unique_key)` that only the constraint satisfies).
 */
const LAYOUTS: Record<Layout, readonly string[]> = {
  'before-0003': ['ALTER TABLE jobs RESET (fillfactor)'],
  current: [],
  'non-null-keys': [
    'ALTER TABLE jobs DROP CONSTRAINT jobs_unique_key_key',
    'CREATE UNIQUE INDEX jobs_unique_key_key ON jobs (unique_key) WHERE unique_key IS NOT NULL',
  ],
};

async function drain(database: Database, mode: Mode, n: number): Promise<void> {
  const log = pino({ level: 'silent' });
  if (mode === 'unbatched') {
    const runner = new JobRunner({
      database,
      handlers: [noop],
      workerId: 'wal-unbatched',
      concurrency: 1,
      batchSize: 1,
      pollIntervalMs: 10,
      leaseMs: 60_000,
      log,
    });
    let done = 0;
    for (let k = await runner.runOnce(); k > 0; k = await runner.runOnce()) done += k;
    if (done !== n) throw new Error(`drained ${done} of ${n} jobs`);
    return;
  }
  const runner = new JobRunner({
    database,
    handlers: [noop],
    workerId: 'wal-best',
    concurrency: 10,
    ...BEST.ours,
    leaseMs: 60_000,
    log,
  });
  runner.start();
  for (;;) {
    const [row] = await database.sql<{ n: number }[]>`
      select count(*)::int as n from jobs where status in ('queued', 'running')`;
    if (row!.n === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await runner.stop(1000);
}

interface Row {
  mode: Mode;
  layout: Layout;
  keyed: boolean;
  walBytesPerJob: number;
  /** The part of `walBytesPerJob` that is full-page images (first change of a page after a checkpoint). */
  fullPageImageBytesPerJob: number;
  statementsPerJob: number;
  updatesPerJob: number;
  hotUpdates: number;
  mainThreadUsPerJob: number;
  records: { record: string; count: number; bytesPerJob: number }[];
}

async function scenario(
  adminUrl: string,
  name: string,
  mode: Mode,
  layout: Layout,
  keyed: boolean,
  n: number,
) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  await migrateDatabase(url);
  const probe = postgres(url, { max: 1, onnotice: () => {} });
  const database = createDatabase(url, { max: 20 });
  let closed = false;
  const closeDatabase = async () => {
    if (!closed) await database.close();
    closed = true;
  };
  try {
    await probe`create extension if not exists pg_walinspect`;
    await probe`create extension if not exists pg_stat_statements`;
    for (const statement of LAYOUTS[layout]) await probe.unsafe(statement);
    await probe`insert into jobs (type, payload, run_at, unique_key)
      select 'bench.noop', '{}'::jsonb, now() - interval '1 second', ${keyed ? 'bench.noop:' : null}::text || i
        from generate_series(1, ${n}) as i`;
    await probe`checkpoint`;
    const tables = async () => {
      const [t] = await probe<{ upd: string; hot: string }[]>`
        select n_tup_upd::text as upd, n_tup_hot_upd::text as hot from pg_stat_user_tables where relname = 'jobs'`;
      return { upd: Number(t!.upd), hot: Number(t!.hot) };
    };
    // Table counters reach the shared statistics when a backend's transaction ends, at most once
    // a second (PostgreSQL docs, "The Cumulative Statistics System"): read them after a pause.
    await new Promise((r) => setTimeout(r, 1100));
    const t0 = await tables();
    await probe`select pg_stat_statements_reset()`;
    const [{ lsn: start }] = await probe<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`;
    const elu0 = performance.eventLoopUtilization();
    await drain(database, mode, n);
    const elu = performance.eventLoopUtilization(elu0);
    const [{ lsn: end }] = await probe<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`;
    // The worker's statements only: every one of them writes `jobs` (claim, completion, lease).
    const [{ calls }] = await probe<{ calls: string }[]>`
      select coalesce(sum(calls), 0)::text as calls from pg_stat_statements
       where dbid = (select oid from pg_database where datname = current_database())
         and query ~* '^\\s*(with next|update jobs)'`;
    const [{ bytes }] = await probe<
      { bytes: string }[]
    >`select pg_wal_lsn_diff(${end}, ${start})::text as bytes`;
    const records = await probe<{ record: string; count: string; size: string; fpi: string }[]>`
      select "resource_manager/record_type" as record, count::text, record_size::text as size,
             fpi_size::text as fpi
        from pg_get_wal_stats(${start}::pg_lsn, ${end}::pg_lsn, true)
       where count > 0 order by record_size desc`;
    const fpiBytes = records.reduce((sum, r) => sum + Number(r.fpi), 0);
    // A backend reports its table counters when it exits, at the latest: close the worker's pool.
    await closeDatabase();
    await new Promise((r) => setTimeout(r, 1100));
    const t1 = await tables();
    return {
      mode,
      layout,
      keyed,
      walBytesPerJob: Math.round(Number(bytes) / n),
      fullPageImageBytesPerJob: Math.round(fpiBytes / n),
      statementsPerJob: Number((Number(calls) / n).toFixed(3)),
      updatesPerJob: Number(((t1.upd - t0.upd) / n).toFixed(2)),
      hotUpdates: t1.hot - t0.hot,
      mainThreadUsPerJob: Math.round((elu.active * 1000) / n),
      records: records.slice(0, 6).map((r) => ({
        record: r.record,
        count: Number(r.count),
        bytesPerJob: Math.round(Number(r.size) / n),
      })),
    } satisfies Row;
  } finally {
    await closeDatabase();
    await probe.end();
  }
}

const quick = process.argv.includes('--quick');
const dir = await mkdtemp(join(tmpdir(), 'queue-wal-'));
const server = await startEmbeddedPostgres({
  dataDir: join(dir, 'data'),
  port: await freePort(),
  persistent: false,
  settings: {
    ...BENCH_PG_SETTINGS,
    shared_preload_libraries: 'pg_stat_statements',
    'pg_stat_statements.track': 'all',
  },
});
try {
  let i = 0;
  for (const mode of ['unbatched', 'best'] as const) {
    const n = mode === 'unbatched' ? (quick ? 200 : 1000) : quick ? 2000 : 20_000;
    for (const keyed of [false, true]) {
      // Jobs with a key have an entry in either unique index: the swap changes nothing for them.
      const layouts: Layout[] = keyed
        ? ['before-0003', 'current']
        : ['before-0003', 'current', 'non-null-keys'];
      for (const layout of layouts) {
        const row = await scenario(server.url, `wal_${i++}`, mode, layout, keyed, n);
        const top = row.records.map((r) => `${r.record} ${r.bytesPerJob}`).join(', ');
        const records = row.walBytesPerJob - row.fullPageImageBytesPerJob;
        console.log(
          `${mode.padEnd(9)} ${keyed ? 'keyed  ' : 'keyless'} ${layout.padEnd(13)} n=${n}: ` +
            `${row.walBytesPerJob} B WAL/job = ${records} records + ${row.fullPageImageBytesPerJob} full-page images, ` +
            `${row.statementsPerJob} statements/job, ` +
            `${row.updatesPerJob} updates/job (${row.hotUpdates} HOT), main thread ${row.mainThreadUsPerJob} µs/job\n    ${top}`,
        );
      }
    }
  }
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
