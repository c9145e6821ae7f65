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
