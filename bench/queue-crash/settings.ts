/** What the crash measure's parent (crash.ts) and its worker processes (worker.ts) agree on. */
export const CRASH_QUEUE = 'bench.crash';

export type CrashPeer = 'ours' | 'graphile-worker' | 'pg-boss';
export const CRASH_PEERS: readonly CrashPeer[] = ['ours', 'graphile-worker', 'pg-boss'];

export const CRASH = {
  concurrency: 10,
  /** Simulated work per job before its side effect, so the kill lands mid-drain. */
  handlerMs: 10,
  /** A claimed job whose worker died is given back after this (ours: lease; pg-boss: expireInSeconds). */
  leaseSeconds: 2,
  /** How often expired jobs are looked for (pg-boss's minimum supervise interval is 1 s). */
  expiryCheckSeconds: 1,
  /** The worker is killed once this share of the jobs has recorded a run. */
  killAt: 0.5,
} as const;

/**
 * Each library's best documented throughput settings, the ones `queue-peers` drains with in its
 * "best" mode, so the crash worker drains at the pace it would in production rather than at a
 * default meant for an idle queue (pg-boss's default, one job per worker every 2 s, ran 300 of
 * 2,000 jobs in a minute: no crash to recover).
 */
export const BEST = {
  /**
   * ours: a local queue of jobs claimed ahead (`WORKER_PREFETCH`) as large as graphile-worker's
   * (500), with room for two batches of 250, so the next batch is claimed while the lane works
   * through the one it holds (apps/worker/README.md, "Concurrency per job type"); 10 ms fallback
   * poll. Batches of 250 drained 1.3–1.4× as fast as batches of 100 with a local queue of 200
   * when a lane had one claim in flight at a time (bench/README.md, "The best-settings drain,
   * profiled"); with pipelined claims these settings keep two in flight (bench/README.md,
   * "Fourth round").
   */
  ours: { prefetch: 500, batchSize: 250, pollIntervalMs: 10 },
  /** graphile-worker 0.18 docs, "Performance": a local queue of locked jobs, completions batched. */
  graphile: { localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 },
  /**
   * pg-boss 12.38.1 types.d.ts, JobPollingOptions / JobFetchOptions: `pollingIntervalSeconds`
   * at its documented minimum (0.5), `batchSize` jobs per fetch, and `burstWhenBatchFull`
   * (fetch again at once while fetches come back full).
   */
  pgBoss: { batchSize: 100, burstWhenBatchFull: true, pollingIntervalSeconds: 0.5 },
} as const;

/**
 * pg-boss hands a worker its batch as one call, and with `transactional: true` the whole batch
 * commits as one transaction at the end (pg-boss 12.38.1 types.d.ts, WorkOptions.transactional),
 * so a batch runs its jobs one after the other. A batch of 100 × 10 ms would hold its jobs for
 * a second of the 2 s expiry, and a loaded machine would let them expire while still running;
 * 10 per fetch keeps a batch at 100 ms and still fetches continuously (`burstWhenBatchFull`).
 * The handler, not the fetch, bounds the crash drain: 10 workers × 10 ms = 1,000 jobs/s.
 */
export const CRASH_PG_BOSS_BATCH = 10;
