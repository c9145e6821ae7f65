/**
 * Where the time goes in the best-settings drain of `queue-peers` (bench/README.md, "The
 * best-settings drain, profiled"): ours and graphile-worker drain the same number of no-op jobs
 * in turn, each in its own database on one throwaway server with the bench's durability and
 * `pg_stat_statements`, pinned as `npm run bench` pins (this process on core 0, PostgreSQL on
 * core 1). Per drain it prints jobs/s to the last handler start (the suite's measure), this
 * process's CPU and main-thread busy share, PostgreSQL's CPU (every process of the cluster, reaped
 * backends included, from /proc), the time both spent runnable but not running (schedstat: how
 * much the machine's other load took), WAL per job (`pg_stat_wal`), the statements that ran, and
 * for ours how much of the drain had a claim in flight and how many claims were pipelined.
 *
 *   npx tsx bench/queue-drain/profile.ts [jobs] [rounds] [prefetch/batch ...]
 *
 * Each extra `prefetch/batch` argument adds a drain of ours with those settings beside
 * `BEST.ours` (e.g. `200/100 1000/500`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLAIM_SQL, createDatabase, enqueueMany, migrateDatabase } from '@payday/db';
import { startEmbeddedPostgres } from '@payday/db/embedded';
import { freePort } from '@payday/db/testing';
import { defineHandler, JobRunner } from '@payday/worker';
import { Logger, makeWorkerUtils, run, runMigrations } from 'graphile-worker';
import { pino } from 'pino';
import postgres from 'postgres';
import { z } from 'zod';
import { percentile } from '../harness.js';
import { pinTree, planCpus } from '../pinning.js';
import { BENCH_PG_SETTINGS } from '../postgres.js';
import { BEST } from '../queue-crash/settings.js';

const n = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 3);
const variants = process.argv.slice(4).map((v) => {
  const [prefetch, batchSize] = v.split('/').map(Number);
  if (!Number.isInteger(prefetch) || !Number.isInteger(batchSize))
    throw new Error(`not prefetch/batch: ${v}`);
  return { prefetch: prefetch!, batchSize: batchSize!, pollIntervalMs: BEST.ours.pollIntervalMs };
});
const CONCURRENCY = 10;

const cpus = planCpus();
if (cpus.enabled) pinTree(process.pid, cpus.load);
const dir = await mkdtemp(join(tmpdir(), 'queue-drain-'));
const server = await startEmbeddedPostgres({
  dataDir: join(dir, 'data'),
  port: await freePort(),
  persistent: false,
  settings: { ...BENCH_PG_SETTINGS, shared_preload_libraries: 'pg_stat_statements' },
});
// postmaster.pid's first line is the postmaster's pid (PostgreSQL docs, "Database File Layout").
const postmaster = Number((await readFile(join(dir, 'data', 'postmaster.pid'), 'utf8')).split('\n')[0]);
if (cpus.enabled) pinTree(postmaster, cpus.server);

/** /proc/<pid>/stat fields after the command name (proc(5)): [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime. */
function statFields(pid: number): string[] {
  const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return st.slice(st.lastIndexOf(')') + 2).split(' ');
}

/** The cluster's processes: the postmaster and its children. */
function cluster(): number[] {
  const pids: number[] = [postmaster];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (Number(statFields(Number(e))[1]) === postmaster) pids.push(Number(e));
    } catch {}
  }
  return pids;
}

/** CPU ms of the cluster so far (children that exited are in the postmaster's cutime/cstime). */
function clusterCpuMs(): number {
  let ticks = 0;
  for (const pid of cluster()) {
    try {
      const f = statFields(pid);
      ticks += Number(f[11]) + Number(f[12]) + (pid === postmaster ? Number(f[13]) + Number(f[14]) : 0);
    } catch {}
  }
  return ticks * 10; // USER_HZ = 100 on Linux
}

/** ms the given threads spent runnable but waiting for a core (schedstat's second field, ns). */
function waitMs(paths: string[]): number {
  let ns = 0;
  for (const p of paths) {
    try {
      ns += Number(readFileSync(p, 'utf8').split(' ')[1]);
    } catch {}
  }
  return ns / 1e6;
}
const clusterWaitMs = () => waitMs(cluster().map((pid) => `/proc/${pid}/schedstat`));
const selfWaitMs = () =>
  waitMs(readdirSync(`/proc/${process.pid}/task`).map((t) => `/proc/${process.pid}/task/${t}/schedstat`));

const admin = postgres(server.url, { max: 1, onnotice: () => {} });
await admin.unsafe('create database q_ours');
await admin.unsafe('create database q_graphile');
await admin`create extension if not exists pg_stat_statements`;
const urlOf = (db: string) => {
  const u = new URL(server.url);
  u.pathname = `/${db}`;
  return u.toString();
};
await migrateDatabase(urlOf('q_ours'));
const database = createDatabase(urlOf('q_ours'), { max: 20 });
const silent = new Logger(() => () => {});
/**
 * Our claims, timed by wrapping the pool's `unsafe` (the runner's claim statements go through
 * it): how much of a drain had a claim in flight, and how many claims went out while another was
 * unanswered (pipelined claims, apps/worker/README.md "Concurrency per job type").
 */
const claimSpans: { s: number; e: number; rows: number }[] = [];
{
  const unsafe = database.sql.unsafe.bind(database.sql);
  (database.sql as { unsafe: unknown }).unsafe = (query: string, ...rest: unknown[]) => {
    const pending = (unsafe as (...a: unknown[]) => Promise<unknown[]>)(query, ...rest);
    if (query !== CLAIM_SQL) return pending;
    const s = performance.now();
    return pending.then((rows) => {
      claimSpans.push({ s, e: performance.now(), rows: rows.length });
      return rows;
    });
  };
}
/** Share of [from, to] covered by at least one claim, and claims sent while another was out. */
function claimCover(from: number, to: number): { share: number; overlapped: number; claims: number } {
  const spans = claimSpans.filter((c) => c.s >= from && c.s < to).sort((a, b) => a.s - b.s);
  let covered = 0;
  let reach = from;
  let overlapped = 0;
  for (const c of spans) {
    if (c.s < reach) overlapped++;
    const start = Math.max(c.s, reach);
    const end = Math.min(c.e, to);
    if (end > start) covered += end - start;
    reach = Math.max(reach, c.e);
  }
  claimSpans.length = 0;
  return { share: covered / (to - from), overlapped, claims: spans.length };
}
const graphileUrl = urlOf('q_graphile');
await runMigrations({ connectionString: graphileUrl, logger: silent });
const utils = await makeWorkerUtils({ connectionString: graphileUrl, logger: silent });

let started = 0;
let want = 0;
let allStarted: () => void = () => {};
const hit = () => {
  if (++started === want) allStarted();
};
const handler = defineHandler({
  type: 'bench.noop',
  payload: z.object({}),
  backoff: { baseMs: 1000, capMs: 1000, jitter: 0 },
  async run() {
    hit();
  },
});
const ourJobs = Array.from({ length: n }, () => ({
  type: 'bench.noop' as 'payout.settle',
  payload: {} as { date: string },
}));

interface Side {
  db: string;
  seed(): Promise<void>;
  /** Starts a worker; returns its stop. */
  start(): Promise<() => Promise<void>>;
}
const ours = (settings: { prefetch: number; batchSize: number; pollIntervalMs: number }): Side => ({
  db: 'q_ours',
  async seed() {
    await database.sql`truncate jobs`;
    await enqueueMany(database.db, ourJobs);
  },
  async start() {
    const r = new JobRunner({
      database,
      handlers: [handler],
      workerId: 'profile',
      concurrency: CONCURRENCY,
      ...settings,
      leaseMs: 60_000,
      log: pino({ level: 'silent' }),
      listen: true,
    });
    r.start();
    return () => r.stop(1000).then(() => {});
  },
});
const sides: Record<string, Side> = {
  [`ours ${BEST.ours.prefetch}/${BEST.ours.batchSize}`]: ours(BEST.ours),
  ...Object.fromEntries(variants.map((v) => [`ours ${v.prefetch}/${v.batchSize}`, ours(v)])),
  'graphile-worker': {
    db: 'q_graphile',
    async seed() {
      // Emptied as ours is (TRUNCATE), so both drains start from a table without dead rows: a
      // DELETE left 20,000 dead rows and index entries per round for graphile-worker's next drain
      // until autovacuum came by (bench/README.md, "The claim's plan and stale statistics").
      await utils.withPgClient((c) => c.query('truncate graphile_worker._private_jobs'));
      await utils.addJobs(Array.from({ length: n }, () => ({ identifier: 'noop', payload: {} })));
    },
    async start() {
      const r = await run({
        connectionString: graphileUrl,
        concurrency: CONCURRENCY,
        noHandleSignals: true,
        logger: silent,
        taskList: { noop: async () => hit() },
        preset: { worker: BEST.graphile },
      });
      return () => r.stop();
    },
  },
};

const rates = new Map<string, number[]>();
try {
  for (let round = 1; round <= rounds; round++) {
    for (const [name, side] of Object.entries(sides)) {
      await side.seed();
      await admin`checkpoint`;
      await admin`select pg_stat_statements_reset()`;
      await admin`select pg_stat_reset_shared('wal')`;
      started = 0;
      want = n;
      const done = new Promise<void>((resolve) => {
        allStarted = resolve;
      });
      const pgWait0 = clusterWaitMs();
      const selfWait0 = selfWaitMs();
      const pgCpu0 = clusterCpuMs();
      const cpu0 = process.cpuUsage();
      const elu0 = performance.eventLoopUtilization();
      const t0 = performance.now();
      const stop = await side.start();
      await done;
      const wall = performance.now() - t0;
      const cover = claimCover(t0, t0 + wall);
      const elu = performance.eventLoopUtilization(elu0);
      const cpu = process.cpuUsage(cpu0);
      const pgCpu = clusterCpuMs() - pgCpu0;
      const pgWait = clusterWaitMs() - pgWait0;
      const selfWait = selfWaitMs() - selfWait0;
      await stop();
      const statements = await admin<{ q: string; calls: number; ms: number; rows: number }[]>`
        select left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 60) as q, calls::int,
               total_exec_time::float8 as ms, rows::int
          from pg_stat_statements s join pg_database d on d.oid = s.dbid
         where d.datname = ${side.db} and calls > 1
         order by total_exec_time desc limit 4`;
      const [wal] = await admin<{ bytes: string; records: string }[]>`
        select wal_bytes::text as bytes, wal_records::text as records from pg_stat_wal`;
      const rate = n / (wall / 1000);
      rates.set(name, [...(rates.get(name) ?? []), rate]);
      const nodeMs = (cpu.user + cpu.system) / 1000;
      const pct = (ms: number) => `${Math.round((ms / wall) * 100)} %`;
      console.log(
        `round ${round} ${name}: ${rate.toFixed(0)} jobs/s (${wall.toFixed(0)} ms)\n` +
          `  node: cpu ${nodeMs.toFixed(0)} ms (${pct(nodeMs)}), main thread busy ${Math.round(elu.utilization * 100)} %, waited for a core ${selfWait.toFixed(0)} ms\n` +
          `  postgres: cpu ${pgCpu} ms (${pct(pgCpu)}) = ${((pgCpu * 1000) / n).toFixed(1)} µs/job, waited for a core ${pgWait.toFixed(0)} ms\n` +
          `  wal: ${(Number(wal!.bytes) / n).toFixed(0)} B/job, ${(Number(wal!.records) / n).toFixed(2)} records/job` +
          (side.db === 'q_ours'
            ? `\n  claims: ${cover.claims}, ${cover.overlapped} sent while another was in flight; a claim in flight ${Math.round(cover.share * 100)} % of the drain`
            : ''),
      );
      for (const s of statements)
        console.log(
          `  ${String(s.calls).padStart(5)} × ${((s.ms * 1000) / n).toFixed(1).padStart(5)} µs/job (${s.rows} rows)  ${s.q}`,
        );
    }
  }
  for (const [name, r] of rates)
    console.log(
      `${name}: median ${percentile(r, 50).toFixed(0)} jobs/s [${r.map((x) => x.toFixed(0)).join(', ')}]`,
    );
} finally {
  await utils.release();
  await admin.end();
  await database.close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
