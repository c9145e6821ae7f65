/**
 * Crash recovery of each queue, measured the same way for all three on one throwaway PostgreSQL
 * (each in its own database, same durability): seed N jobs, start a worker process
 * (bench/queue-crash/worker.ts) whose handler records every run in `crash_runs`, SIGKILL it once
 * half the jobs have run, start a fresh worker and wait until every job has run (or the cap).
 * Per round and queue:
 *  - lost: jobs that never recorded a run;
 *  - run twice: jobs that recorded more than one run (side effects repeated by the crash);
 *  - recovery: from the fresh worker's start to the last run recorded (database clock).
 * Crash settings alike for all: a dead worker's jobs come back after 2 s (our lease,
 * pg-boss's queue `expireInSeconds`), checked every second. graphile-worker has no lease: a
 * crashed worker's jobs stay locked for 4 hours (graphile-worker 0.18 dist/sql/resetLockedAt.js,
 * `locked_at < now - interval '4 hours'`), so its remedy for workers that "crashed, were
 * terminated" (interfaces.d.ts, `WorkerUtils.forceUnlockWorkers`) runs at the restart, inside
 * the recovery time.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createDatabase, type Database, enqueueMany, migrateDatabase } from '@payday/db';
import { Logger, makeWorkerUtils, runMigrations, type WorkerUtils } from 'graphile-worker';
import { PgBoss } from 'pg-boss';
import {
  absolute,
  type BenchContext,
  compare,
  failedMeasurement,
  type Measurement,
  type Stats,
  stats,
} from '../harness.js';
import { CRASH, CRASH_PEERS, CRASH_QUEUE, type CrashPeer } from './settings.js';

const WORKER = join(import.meta.dirname, 'worker.ts');
const ROOT = join(import.meta.dirname, '..', '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface CrashRound {
  lost: number;
  runTwice: number;
  /** Fresh worker's start to the last run recorded; NaN when nothing ran after the restart. */
  recoveryMs: number;
  /** Runs recorded before the kill. */
  beforeKill: number;
}

/** One queue library as the crash measure drives it from the parent process. */
interface CrashQueue {
  readonly name: CrashPeer;
  readonly url: string;
  /** Empties the queue. */
  clear(): Promise<void>;
  /** Adds jobs k = 0 … n-1. */
  seed(n: number): Promise<void>;
  /** What an operator does once the worker is known dead (only graphile-worker needs it). */
  afterKill(): Promise<void>;
  close(): Promise<void>;
}

const RUNS_TABLE =
  'create table crash_runs (k int not null, at timestamptz not null default clock_timestamp())';

async function oursQueue(url: string): Promise<CrashQueue> {
  await migrateDatabase(url);
  const database: Database = createDatabase(url, { max: 2 });
  return {
    name: 'ours',
    url,
    clear: async () => {
      await database.sql`truncate jobs`;
    },
    async seed(n) {
      await enqueueMany(
        database.db,
        Array.from({ length: n }, (_, k) => ({
          type: CRASH_QUEUE as 'payout.settle',
          payload: { k } as unknown as { date: string },
        })),
      );
    },
    afterKill: async () => {},
    close: () => database.close(),
  };
}

async function graphileQueue(connectionString: string): Promise<CrashQueue> {
  const logger = new Logger(() => () => {});
  await runMigrations({ connectionString, logger });
  const utils: WorkerUtils = await makeWorkerUtils({ connectionString, logger });
  return {
    name: 'graphile-worker',
    url: connectionString,
    clear: async () => {
      await utils.withPgClient((c) => c.query('delete from graphile_worker._private_jobs'));
    },
    async seed(n) {
      await utils.addJobs(Array.from({ length: n }, (_, k) => ({ identifier: CRASH_QUEUE, payload: { k } })));
    },
    async afterKill() {
      const { rows } = await utils.withPgClient((c) =>
        c.query<{ locked_by: string }>(
          'select distinct locked_by from graphile_worker._private_jobs where locked_by is not null',
        ),
      );
      if (rows.length) await utils.forceUnlockWorkers(rows.map((r) => r.locked_by));
    },
    close: async () => {
      await utils.release();
    },
  };
}

async function pgBossQueue(connectionString: string): Promise<CrashQueue> {
  const boss = new PgBoss({ connectionString, supervise: false, schedule: false });
  boss.on('error', () => {});
  boss.on('warning', () => {});
  await boss.start();
  // Retries high enough that an expired job is always retried, as ours and graphile-worker do.
  await boss.createQueue(CRASH_QUEUE, { expireInSeconds: CRASH.leaseSeconds, retryLimit: 10 });
  return {
    name: 'pg-boss',
    url: connectionString,
    clear: async () => {
      await boss.deleteAllJobs();
    },
    async seed(n) {
      await boss.insert(
        CRASH_QUEUE,
        Array.from({ length: n }, (_, k) => ({ data: { k } })),
      );
    },
    afterKill: async () => {},
    close: () => boss.stop({ graceful: false }),
  };
}

interface Child {
  proc: ChildProcess;
  ready: Promise<void>;
  exited: Promise<void>;
}

function spawnCrashWorker(peer: CrashPeer, url: string): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', WORKER, peer, url], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${peer} worker not ready within 60 s:\n${out}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready\n')) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${peer} worker exited (${code ?? signal}) before it was ready:\n${out}`));
    });
  });
  ready.catch(() => {});
  return { proc, ready, exited };
}

async function kill(child: Child): Promise<void> {
  if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
  await child.exited;
}

/** Polls `probe` every 10 ms until it returns true or `capMs` passed; returns whether it did. */
async function until(probe: () => Promise<boolean>, capMs: number): Promise<boolean> {
  const deadline = performance.now() + capMs;
  for (;;) {
    if (await probe()) return true;
    if (performance.now() > deadline) return false;
    await sleep(10);
  }
}

/** One crash round for one queue: seed, run, SIGKILL mid-drain, restart, count. */
export async function crashRound(queue: CrashQueue, n: number, capMs: number): Promise<CrashRound> {
  const db = createDatabase(queue.url, { max: 1 });
  const children: Child[] = [];
  try {
    await db.sql`truncate crash_runs`;
    await queue.clear();
    await queue.seed(n);
    const count = async () => {
      const [r] = await db.sql<{ runs: number; jobs: number }[]>`
        select count(*)::int as runs, count(distinct k)::int as jobs from crash_runs`;
      return r!;
    };
    const first = spawnCrashWorker(queue.name, queue.url);
    children.push(first);
    await first.ready;
    const reached = await until(async () => (await count()).runs >= n * CRASH.killAt, capMs);
    await kill(first);
    const beforeKill = (await count()).runs;
    if (!reached)
      throw new Error(
        `${queue.name}: only ${beforeKill} of ${n} jobs ran within ${capMs} ms; no crash to recover`,
      );
    if (beforeKill >= n)
      throw new Error(`${queue.name}: all ${n} jobs ran before the kill landed; no crash to recover`);
    // Epoch milliseconds on the database's clock, the clock `crash_runs.at` is stamped with.
    const [{ restart }] = await db.sql<{ restart: number }[]>`
      select (extract(epoch from clock_timestamp()) * 1000)::float8 as restart`;
    await queue.afterKill();
    const second = spawnCrashWorker(queue.name, queue.url);
    children.push(second);
    await second.ready;
    await until(async () => (await count()).jobs >= n, capMs);
    // Late duplicates (a job given back while its first run was still committing) show up within
    // one expiry check; wait that long before counting.
    await sleep(CRASH.expiryCheckSeconds * 1000);
    await kill(second);
    const [r] = await db.sql<{ jobs: number; twice: number; last: number | null }[]>`
      select
        (select count(distinct k)::int from crash_runs) as jobs,
        (select count(*)::int from (select k from crash_runs group by k having count(*) > 1) d) as twice,
        (select (extract(epoch from max(at)) * 1000)::float8 from crash_runs
          where at > to_timestamp(${restart}::float8 / 1000)) as last`;
    return {
      lost: n - r!.jobs,
      runTwice: r!.twice,
      recoveryMs: r!.last === null ? Number.NaN : r!.last - restart,
      beforeKill,
    };
  } finally {
    for (const c of children) await kill(c);
    await db.close();
  }
}

/** Creates one database per queue on the server at `serverUrl` and prepares each for the measure. */
export async function crashQueues(serverUrl: string): Promise<CrashQueue[]> {
  const admin = createDatabase(serverUrl, { max: 1 });
  const urlOf = (name: string) => {
    const u = new URL(serverUrl);
    u.pathname = `/${name}`;
    return u.toString();
  };
  const make = { ours: oursQueue, 'graphile-worker': graphileQueue, 'pg-boss': pgBossQueue };
  const queues: CrashQueue[] = [];
  try {
    for (const peer of CRASH_PEERS) {
      const name = `crash_${peer.replace('-', '_')}`;
      await admin.sql.unsafe(`create database ${name}`);
      const url = urlOf(name);
      const db = createDatabase(url, { max: 1 });
      await db.sql.unsafe(RUNS_TABLE).finally(() => db.close());
      queues.push(await make[peer](url));
    }
  } catch (err) {
    for (const q of queues) await q.close().catch(() => {});
    throw err;
  } finally {
    await admin.close();
  }
  return queues;
}

export interface CrashResults {
  /** Per queue: every round's figures (a failed peer keeps the rounds it finished). */
  rounds: Map<CrashPeer, CrashRound[]>;
  /** Peers whose crash round failed, with the reason; their later rounds are skipped. */
  failed: Map<CrashPeer, string>;
}

/**
 * `ctx.rounds` rounds, each queue once per round, rotating who goes first. A peer whose round
 * fails (its worker never got half-way, never became ready, …) is recorded with the reason and
 * left out of the later rounds, so the other queues' figures stand; our own queue failing
 * throws, since then there is nothing to compare.
 */
export async function measureCrash(
  ctx: Pick<BenchContext, 'rounds' | 'progress'>,
  serverUrl: string,
  n: number,
  capMs: number,
): Promise<CrashResults> {
  const queues = await crashQueues(serverUrl);
  const rounds = new Map<CrashPeer, CrashRound[]>(queues.map((q) => [q.name, []]));
  const failed = new Map<CrashPeer, string>();
  try {
    for (let r = 0; r < ctx.rounds; r++) {
      for (let k = 0; k < queues.length; k++) {
        const q = queues[(r + k) % queues.length]!;
        if (failed.has(q.name)) continue;
        ctx.progress(`crash: round ${r + 1}/${ctx.rounds}, ${q.name}: ${n} jobs, SIGKILL at half`);
        try {
          rounds.get(q.name)!.push(await crashRound(q, n, capMs));
        } catch (err) {
          if (q.name === 'ours') throw err;
          const reason = err instanceof Error ? err.message : String(err);
          failed.set(q.name, `round ${r + 1}: ${reason}`);
          ctx.progress(`crash: ${q.name} failed (${reason.split('\n')[0]}); its later rounds are skipped`);
        }
      }
    }
  } finally {
    for (const q of queues) await q.close().catch(() => {});
  }
  return { rounds, failed };
}

/**
 * The measurements: lost (goal 0), run twice (goal: at most the fewest of the peers) and
 * recovery time (no goal; ratio to the fastest peer), each with every queue's median in the note.
 * Peers compared are those with at least one finished round; each failed peer adds a failed
 * measurement `queue-peers.crash-<peer>` with its reason. With no peer left, `lost` keeps its
 * absolute goal, `recovery` is our figure alone and `run twice` (whose bound a peer sets) fails.
 */
export function crashMeasurements(results: CrashResults, describe: string): Measurement[] {
  const of = (peer: CrashPeer, pick: (r: CrashRound) => number): Stats =>
    stats(results.rounds.get(peer)!.map(pick));
  const peers = CRASH_PEERS.filter((p) => p !== 'ours' && (results.rounds.get(p)?.length ?? 0) > 0);
  const failedNote = [...results.failed.keys()].map((p) => `; ${p} failed (queue-peers.crash-${p})`).join('');
  const note = (pick: (r: CrashRound) => number) =>
    `${describe}; SIGKILL at half of the jobs, lease 2 s; peers: ${
      peers.map((p) => `${p} ${of(p, pick).median.toFixed(0)}`).join(', ') || 'none'
    }${failedNote}`;
  const best = (pick: (r: CrashRound) => number) =>
    peers
      .map((p) => ({ p, s: of(p, pick) }))
      .reduce((a, b) => (Number.isNaN(a.s.median) || b.s.median < a.s.median ? b : a));
  const out: Measurement[] = [];
  const lost = (r: CrashRound) => r.lost;
  const twice = (r: CrashRound) => r.runTwice;
  const recovery = (r: CrashRound) => r.recoveryMs;
  if (peers.length > 0) {
    const bestLost = best(lost);
    out.push(
      compare(
        'queue-peers.crash-lost',
        'jobs',
        { ours: of('ours', lost), baseline: bestLost.s },
        `fewest of the peers (${bestLost.p})`,
        { op: '<=', value: 0, absolute: true },
        note(lost),
      ),
    );
    const bestTwice = best(twice);
    out.push(
      compare(
        'queue-peers.crash-run-twice',
        'jobs',
        { ours: of('ours', twice), baseline: bestTwice.s },
        `fewest of the peers (${bestTwice.p})`,
        // At most as many re-runs as the best peer: an absolute bound set by that peer's median.
        { op: '<=', value: bestTwice.s.median, absolute: true },
        note(twice),
      ),
    );
    const bestRecovery = best(recovery);
    out.push(
      compare(
        'queue-peers.crash-recovery',
        'ms',
        { ours: of('ours', recovery), baseline: bestRecovery.s },
        `fastest peer (${bestRecovery.p})`,
        undefined,
        note(recovery),
      ),
    );
  } else {
    out.push(
      absolute('queue-peers.crash-lost', 'jobs', of('ours', lost), { op: '<=', value: 0 }, note(lost)),
      failedMeasurement(
        'queue-peers.crash-run-twice',
        'jobs',
        'no peer finished a crash round to set the bound',
      ),
      absolute('queue-peers.crash-recovery', 'ms', of('ours', recovery), undefined, note(recovery)),
    );
  }
  for (const [peer, reason] of results.failed) {
    out.push(failedMeasurement(`queue-peers.crash-${peer}`, 'jobs', reason));
  }
  // 0 ÷ 0 is no ratio: both sides had none (the verdict reads the absolute bound).
  for (const m of out) if (m.ours.median === 0 && m.baseline?.median === 0) delete m.ratio;
  return out;
}
