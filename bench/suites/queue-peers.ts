/**
 * Our queue side by side with the PostgreSQL queues a team would otherwise pick, graphile-worker
 * and pg-boss (bench-only dev dependencies), each in its own database on ONE throwaway server
 * (same durability), with no-op jobs, concurrency 10 for all, and interleaved rounds whose order
 * rotates (ours, graphile-worker, pg-boss; then graphile-worker, pg-boss, ours; …).
 *
 * Measured, each as our ratio to the best peer:
 *  - batch enqueue: one call adding N jobs (our `enqueueMany`, graphile-worker `addJobs`,
 *    pg-boss `insert`);
 *  - drain with each library's defaults and with its best documented settings: N jobs over the
 *    time from starting the worker to the N-th handler start (pg-boss's `start()`, which
 *    checks its schema, runs before the clock starts; graphile-worker's `run()` is inside it);
 *  - enqueue → handler start p50 / p99 under a steady trickle (one job every 10 ms), defaults
 *    and best settings; the latency goal is against graphile-worker, which wakes on NOTIFY.
 * "Best documented settings": graphile-worker's performance page (localQueue, batched
 * completion); pg-boss's LISTEN/NOTIFY (`useListenNotify` + queue `notify`), `batchSize` and
 * `burstWhenBatchFull`; ours: `WORKER_PREFETCH=500` (graphile-worker's local queue size), batches
 * of 250, a 10 ms fallback poll.
 * And the price of the wake-up on the enqueue path: pgbench running `enqueue`'s one-job statement
 * (`enqueueReturningId`, which notifies once per type at a time, see `wakeUp` in
 * apps/db/src/queue/statements.ts) from 16 clients vs the same statement built without its
 * wake-up (`wake: false`).
 * And crash recovery (bench/queue-crash/crash.ts): a worker process per queue SIGKILLed
 * mid-drain, then a fresh one; jobs lost (goal 0), jobs whose side effect was recorded twice
 * (goal: at most the best peer's) and the time from the restart to the last job done.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createDatabase,
  type Database,
  enqueue,
  enqueueMany,
  enqueueReturningId,
  migrateDatabase,
} from '@payday/db';
import { defineHandler, JobRunner } from '@payday/worker';
import { PgDialect } from 'drizzle-orm/pg-core';
import { Logger, makeWorkerUtils, run, runMigrations, type WorkerUtils } from 'graphile-worker';
import { PgBoss } from 'pg-boss';
import { pino } from 'pino';
import { z } from 'zod';
import {
  type BenchSuite,
  compare,
  failedMeasurement,
  interleave,
  type Measurement,
  percentile,
  type Stats,
  stats,
} from '../harness.js';
import { pgbenchTps } from '../pgbench.js';
import { startBenchPostgres } from '../postgres.js';
import { crashMeasurements, measureCrash } from '../queue-crash/crash.js';
import { BEST } from '../queue-crash/settings.js';

const CONCURRENCY = 10;
const silentGraphile = new Logger(() => () => {});

type Mode = 'defaults' | 'best';

/** Counts handler starts; resolves when `n` started, or when `capMs` passed. */
class Counter {
  starts: number[] = [];
  /** When the worker was asked to start. */
  t0 = performance.now();
  #want = 0;
  #done: () => void = () => {};
  hit(): void {
    this.starts.push(performance.now());
    if (this.starts.length === this.#want) this.#done();
  }
  until(n: number, capMs: number): Promise<void> {
    this.#want = n;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, capMs);
      this.#done = () => {
        clearTimeout(timer);
        resolve();
      };
      if (this.starts.length >= n) this.#done();
    });
  }
  /** Jobs per second from the worker's start to the last handler start seen. */
  rate(): number {
    const s = this.starts;
    if (s.length === 0) return 0;
    return s.length / ((s[s.length - 1]! - this.t0) / 1000);
  }
}

interface Peer {
  name: string;
  /** Adds `n` jobs in one call; returns jobs/s. */
  enqueueBatch(n: number): Promise<number>;
  /** Seeds `n` jobs, starts a worker, returns jobs/s from its first handler start to the n-th. */
  drain(mode: Mode, n: number, capMs: number): Promise<number>;
  /** Starts a worker, trickles `count` single enqueues `gapMs` apart; returns each enqueue→start ms. */
  latency(mode: Mode, count: number, gapMs: number, capMs: number): Promise<number[]>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function trickle(
  count: number,
  gapMs: number,
  capMs: number,
  add: (i: number) => Promise<unknown>,
  startedAt: Map<number, number>,
  counter: Counter,
): Promise<number[]> {
  const sentAt = new Map<number, number>();
  const done = counter.until(count, capMs);
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    sentAt.set(i, t);
    await add(i);
    const next = t + gapMs - performance.now();
    if (next > 0) await sleep(next);
  }
  await done;
  return [...startedAt.entries()].map(([i, at]) => at - sentAt.get(i)!);
}

async function ours(url: string): Promise<Peer> {
  await migrateDatabase(url);
  const database: Database = createDatabase(url, { max: 20 });
  const log = pino({ level: 'silent' });
  let counter = new Counter();
  const startedAt = new Map<number, number>();
  const handler = defineHandler({
    type: 'bench.noop',
    // Every payload field of ours is text (apps/db/src/queue/enqueue.ts, `JobPayloads`): the
    // enqueue statement builds the payload with jsonb_build_object from text values.
    payload: z.object({ i: z.string().optional() }),
    backoff: { baseMs: 1000, capMs: 1000, jitter: 0 },
    async run(payload) {
      if (payload.i !== undefined) startedAt.set(Number(payload.i), performance.now());
      counter.hit();
    },
  });
  const jobs = (n: number) =>
    Array.from({ length: n }, () => ({
      type: 'bench.noop' as 'payout.settle',
      payload: {} as { date: string },
    }));
  const runner = (mode: Mode) =>
    new JobRunner({
      database,
      handlers: [handler],
      workerId: `bench-${mode}`,
      concurrency: CONCURRENCY,
      // The worker's defaults (apps/worker/src/config.ts), or our best settings (`BEST.ours`: a
      // local queue claimed ahead, WORKER_PREFETCH, with pipelined batches and a 10 ms poll).
      ...(mode === 'defaults' ? { batchSize: CONCURRENCY, pollIntervalMs: 500 } : BEST.ours),
      leaseMs: 60_000,
      log,
      listen: true,
    });
  return {
    name: 'ours',
    async enqueueBatch(n) {
      await database.sql`truncate jobs`;
      const t0 = performance.now();
      await enqueueMany(database.db, jobs(n));
      return n / ((performance.now() - t0) / 1000);
    },
    async drain(mode, n, capMs) {
      await database.sql`truncate jobs`;
      await enqueueMany(database.db, jobs(n));
      counter = new Counter();
      const r = runner(mode);
      counter.t0 = performance.now();
      r.start();
      await counter.until(n, capMs);
      await r.stop(1000);
      return counter.rate();
    },
    async latency(mode, count, gapMs, capMs) {
      await database.sql`truncate jobs`;
      counter = new Counter();
      startedAt.clear();
      const r = runner(mode);
      r.start();
      while (r.listener?.state !== 'listening') await sleep(5);
      const out = await trickle(
        count,
        gapMs,
        capMs,
        (i) =>
          enqueue(database.db, {
            type: 'bench.noop' as 'payout.settle',
            payload: { i: String(i) } as unknown as { date: string },
          }),
        startedAt,
        counter,
      );
      await r.stop(1000);
      // Ours must start every job it was given: a job that never starts (a handler rejecting its
      // payload, a missed wake-up with no poll) is a failure, not a shorter sample.
      if (out.length < count)
        throw new Error(
          `ours: only ${out.length} of ${count} trickled jobs started within ${capMs} ms (${mode})`,
        );
      return out;
    },
    close: () => database.close(),
  };
}

async function graphile(connectionString: string): Promise<Peer> {
  await runMigrations({ connectionString, logger: silentGraphile });
  const utils: WorkerUtils = await makeWorkerUtils({ connectionString, logger: silentGraphile });
  let counter = new Counter();
  const startedAt = new Map<number, number>();
  const taskList = {
    noop: async (payload: unknown) => {
      const i = (payload as { i?: number }).i;
      if (i !== undefined) startedAt.set(i, performance.now());
      counter.hit();
    },
  };
  const specs = (n: number) => Array.from({ length: n }, () => ({ identifier: 'noop', payload: {} }));
  const start = (mode: Mode) =>
    run({
      connectionString,
      concurrency: CONCURRENCY,
      noHandleSignals: true,
      logger: silentGraphile,
      taskList,
      // graphile-worker docs, "Performance": batching with a local queue and batched completion.
      ...(mode === 'best' ? { preset: { worker: BEST.graphile } } : {}),
    });
  const clear = () => utils.withPgClient((c) => c.query('delete from graphile_worker._private_jobs'));
  return {
    name: 'graphile-worker',
    async enqueueBatch(n) {
      await clear();
      const t0 = performance.now();
      await utils.addJobs(specs(n));
      return n / ((performance.now() - t0) / 1000);
    },
    async drain(mode, n, capMs) {
      await clear();
      await utils.addJobs(specs(n));
      counter = new Counter();
      counter.t0 = performance.now();
      const runner = await start(mode);
      await counter.until(n, capMs);
      await runner.stop();
      return counter.rate();
    },
    async latency(mode, count, gapMs, capMs) {
      await clear();
      counter = new Counter();
      startedAt.clear();
      const runner = await start(mode);
      await sleep(100);
      const out = await trickle(count, gapMs, capMs, (i) => utils.addJob('noop', { i }), startedAt, counter);
      await runner.stop();
      return out;
    },
    close: async () => {
      await utils.release();
    },
  };
}

async function pgBoss(connectionString: string): Promise<Peer> {
  const admin = new PgBoss({ connectionString });
  admin.on('error', () => {});
  await admin.start();
  await admin.createQueue('noop');
  await admin.createQueue('noop-notify', { notify: true });
  await admin.stop({ graceful: false });
  let counter = new Counter();
  const startedAt = new Map<number, number>();
  const queue = (mode: Mode) => (mode === 'best' ? 'noop-notify' : 'noop');
  const boss = async (mode: Mode) => {
    const b = new PgBoss({
      connectionString,
      useListenNotify: mode === 'best',
      supervise: false,
      schedule: false,
    });
    b.on('error', () => {});
    b.on('warning', () => {});
    await b.start();
    return b;
  };
  const work = (b: PgBoss, mode: Mode) =>
    b.work(
      queue(mode),
      mode === 'best' ? { localConcurrency: CONCURRENCY, ...BEST.pgBoss } : { localConcurrency: CONCURRENCY },
      async (jobs: { data: { i?: number } }[]) => {
        for (const job of jobs) {
          if (job.data?.i !== undefined) startedAt.set(job.data.i, performance.now());
          counter.hit();
        }
      },
    );
  const producer = await boss('defaults');
  const clear = () => producer.deleteAllJobs();
  const inserts = (n: number) => Array.from({ length: n }, () => ({ data: {} }));
  return {
    name: 'pg-boss',
    async enqueueBatch(n) {
      await clear();
      const t0 = performance.now();
      await producer.insert('noop', inserts(n));
      return n / ((performance.now() - t0) / 1000);
    },
    async drain(mode, n, capMs) {
      await clear();
      await producer.insert(queue(mode), inserts(n));
      counter = new Counter();
      const b = await boss(mode);
      counter.t0 = performance.now();
      await work(b, mode);
      await counter.until(n, capMs);
      await b.stop({ graceful: false });
      return counter.rate();
    },
    async latency(mode, count, gapMs, capMs) {
      await clear();
      counter = new Counter();
      startedAt.clear();
      const b = await boss(mode);
      await work(b, mode);
      await sleep(100);
      const out = await trickle(count, gapMs, capMs, (i) => b.send(queue(mode), { i }), startedAt, counter);
      await b.stop({ graceful: false });
      return out;
    },
    close: () => producer.stop({ graceful: false }),
  };
}

/**
 * `enqueue`'s statement for one due `payment.process` job (`enqueueReturningId` from @payday/db
 * itself, so the measured text is the product's), with or without its wake-up, as a pgbench
 * script: each `$n` becomes a pgbench variable bound as a parameter (`-D`), a NULL stays a
 * literal (pgbench variables cannot be NULL).
 */
export function enqueueScript(wake: boolean): { script: string; defines: string[] } {
  const query = new PgDialect().sqlToQuery(
    enqueueReturningId({ type: 'payment.process', payload: { payment_id: 'pay_bench' }, wake }),
  );
  const defines: string[] = [];
  const text = query.sql.replace(/\$(\d+)/g, (_, n: string) => {
    const value = query.params[Number(n) - 1];
    if (value === null) return 'NULL';
    defines.push('-D', `p${n}=${String(value)}`);
    return `:p${n}`;
  });
  return { script: `${text.replace(/\s+/g, ' ').trim()};\n`, defines };
}

const suite: BenchSuite = {
  name: 'queue-peers',
  pinning: 'client-server',
  description:
    'Our queue vs graphile-worker and pg-boss on one PostgreSQL: batch enqueue, drain (defaults/best), enqueue→start p50/p99, SIGKILL mid-drain',
  async run(ctx) {
    const n = ctx.quick ? 500 : 20_000;
    const nDefaults = ctx.quick ? 200 : 5000;
    // 200 jobs a round, so p99 (nearest rank, `percentile`) is the 3rd-slowest sample. 500 made
    // the p99 steadier, but then pg-boss's defaults round ran into its 20 s cap and the peers'
    // best-settings drains that follow collapsed (bench/README.md, "Fifth round: warm-ups and
    // sample sizes").
    const trickleCount = ctx.quick ? 20 : 200;
    const capMs = ctx.quick ? 5_000 : 20_000;
    const pg = await startBenchPostgres(ctx);
    const peers: Peer[] = [];
    try {
      const admin = createDatabase(pg.url, { max: 1 });
      for (const db of ['q_ours', 'q_graphile', 'q_pgboss']) await admin.sql.unsafe(`create database ${db}`);
      await admin.close();
      const urlOf = (db: string) => {
        const u = new URL(pg.url);
        u.pathname = `/${db}`;
        return u.toString();
      };
      peers.push(
        await ours(urlOf('q_ours')),
        await graphile(urlOf('q_graphile')),
        await pgBoss(urlOf('q_pgboss')),
      );

      /**
       * Peers that failed a step, with the reason: they are left out of every later step (a
       * worker of theirs may still be running), each such step gets a FAILED measurement
       * `queue-peers.<metric>.<peer>`, and the metric compares ours with the peers left. Ours
       * failing throws: then there is nothing to compare.
       */
      const peerFailed = new Map<string, string>();
      /** Runs `fn` for every peer each round, rotating who goes first; samples per peer. */
      const rounds = async (label: string, fn: (p: Peer) => Promise<number>) => {
        const samples = new Map<string, number[]>(peers.map((p) => [p.name, []]));
        for (let r = 0; r < ctx.rounds; r++) {
          ctx.progress(`${label}: round ${r + 1}/${ctx.rounds}`);
          for (let k = 0; k < peers.length; k++) {
            const p = peers[(r + k) % peers.length]!;
            if (peerFailed.has(p.name)) continue;
            try {
              samples.get(p.name)!.push(await fn(p));
            } catch (err) {
              if (p.name === 'ours') throw err;
              const reason = `${label}, round ${r + 1}: ${err instanceof Error ? err.message : String(err)}`;
              peerFailed.set(p.name, reason);
              ctx.progress(`${p.name} failed (${reason.split('\n')[0]}); left out of the later steps`);
            }
          }
        }
        return new Map([...samples].filter(([, v]) => v.length > 0).map(([k, v]) => [k, stats(v)]));
      };
      const out: Measurement[] = [];
      const versus = (
        metric: string,
        unit: string,
        results: Map<string, Stats>,
        direction: 'higher' | 'lower',
        against: 'best' | 'graphile-worker',
        goal: number,
      ) => {
        const others = peers
          .filter((p) => p.name !== 'ours' && results.has(p.name))
          .map((p) => ({ name: p.name, s: results.get(p.name)! }));
        for (const p of peers) {
          const reason = peerFailed.get(p.name);
          if (reason !== undefined && !results.has(p.name))
            out.push(failedMeasurement(`queue-peers.${metric}.${p.name}`, unit, reason));
        }
        const better = (a: (typeof others)[number], b: (typeof others)[number]) =>
          (direction === 'higher' ? b.s.median > a.s.median : b.s.median < a.s.median) ? b : a;
        const best =
          against === 'graphile-worker'
            ? others.find((o) => o.name === 'graphile-worker')
            : others.length > 0
              ? others.reduce(better)
              : undefined;
        if (!best) {
          out.push(
            failedMeasurement(
              `queue-peers.${metric}`,
              unit,
              `no ${against === 'best' ? 'peer' : against} to compare with`,
            ),
          );
          return;
        }
        const note = others.map((o) => `${o.name} ${o.s.median.toFixed(1)}`).join(', ');
        out.push(
          compare(
            `queue-peers.${metric}`,
            unit,
            { ours: results.get('ours')!, baseline: best.s },
            against === 'best' ? `best peer (${best.name})` : best.name,
            { op: direction === 'higher' ? '>=' : '<=', value: goal },
            `${pg.describe}; concurrency ${CONCURRENCY}; peers: ${note}`,
          ),
        );
      };

      versus(
        'enqueue-batch',
        'jobs/s',
        await rounds(`batch enqueue of ${n}`, (p) => p.enqueueBatch(n)),
        'higher',
        'best',
        1,
      );
      for (const mode of ['defaults', 'best'] as const) {
        const size = mode === 'defaults' ? nDefaults : n;
        versus(
          `drain-${mode}`,
          'jobs/s',
          await rounds(`drain ${size} (${mode})`, (p) => p.drain(mode, size, capMs)),
          'higher',
          'best',
          1,
        );
        const lat = new Map<string, number[][]>();
        await rounds(`enqueue→start, one job every 10 ms (${mode})`, async (p) => {
          const l = await p.latency(mode, trickleCount, 10, capMs);
          lat.set(p.name, [...(lat.get(p.name) ?? []), l]);
          return 0;
        });
        for (const [q, name] of [
          [50, 'p50'],
          [99, 'p99'],
        ] as const) {
          const results = new Map([...lat].map(([k, runs]) => [k, stats(runs.map((r) => percentile(r, q)))]));
          versus(`start-latency-${name}-${mode}`, 'ms', results, 'lower', 'graphile-worker', 1);
        }
      }

      ctx.progress('enqueue path: pgbench one-job enqueue, with its wake-up vs without');
      const oursDb = createDatabase(urlOf('q_ours'), { max: 1 });
      try {
        const seconds = ctx.quick ? 1 : 5;
        const enqueueOne = async (wake: boolean) => {
          const { script, defines } = enqueueScript(wake);
          const file = join(ctx.tmpDir, `enqueue-one-${wake ? 'wake' : 'quiet'}.sql`);
          await writeFile(file, script);
          return () => pgbenchTps(urlOf('q_ours'), { script: file, clients: 16, seconds, defines });
        };
        const pair = await interleave(ctx.rounds, await enqueueOne(true), await enqueueOne(false));
        await oursDb.sql`truncate jobs`;
        out.push(
          compare(
            'queue-peers.enqueue-notify-cost',
            'tx/s',
            pair,
            'same statement built without its wake-up',
            { op: '>=', value: 0.8 },
            `${pg.describe}; pgbench 16 clients, enqueue's one-job statement per transaction`,
          ),
        );
      } finally {
        await oursDb.close();
      }

      const crashJobs = ctx.quick ? 200 : 2000;
      const crash = await measureCrash(ctx, pg.url, crashJobs, ctx.quick ? 30_000 : 60_000);
      out.push(...crashMeasurements(crash, `${pg.describe}; ${crashJobs} jobs`));
      return out;
    } finally {
      for (const p of peers) await p.close().catch(() => {});
      await pg.stop();
    }
  },
};

export default suite;
