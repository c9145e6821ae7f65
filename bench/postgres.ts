/**
 * A throwaway PostgreSQL per suite run, with durability spelled out so the app and its baseline
 * (pgbench, a bare handler) commit under the same rules (docs/design/testing.md §Benchmark method:
 * a throwaway PostgreSQL per suite, durability settings explicit and the same for the app and
 * its baseline). It is the embedded server the tests use
 * (apps/db/src/embedded.ts: initdb into a scratch directory, 127.0.0.1 only, its own port),
 * pinned to the server cores when the harness pins.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type EmbeddedServer, startEmbeddedPostgres } from '@payday/db/embedded';
import { freePort } from '@payday/db/testing';
import type { BenchContext } from './harness.js';

/**
 * Production durability: a commit is flushed to the WAL on disk before it is acknowledged
 * (PostgreSQL docs, "WAL Configuration": fsync, synchronous_commit, full_page_writes). Suites
 * may override a setting, but then both sides of the comparison still share the one server.
 */
export const BENCH_PG_SETTINGS: Readonly<Record<string, string | number>> = {
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  shared_buffers: '128MB',
  max_connections: 200,
};

export interface BenchPostgres extends EmbeddedServer {
  /** Every `-c` setting the server was started with. */
  readonly settings: Readonly<Record<string, string | number>>;
  /** `fsync=on synchronous_commit=on …`, for a measurement's note. */
  readonly describe: string;
}

const running = new Set<BenchPostgres>();
let counter = 0;

export function describeSettings(settings: Readonly<Record<string, string | number>>): string {
  return Object.entries(settings)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/** Starts a fresh cluster in `ctx.tmpDir` (removed after the suite); `stop()` it when done. */
export async function startBenchPostgres(
  ctx: BenchContext,
  overrides: Record<string, string | number> = {},
): Promise<BenchPostgres> {
  const settings = { ...BENCH_PG_SETTINGS, ...overrides };
  const describe = describeSettings(settings);
  ctx.progress(`starting a throwaway PostgreSQL (${describe})`);
  const dataDir = join(ctx.tmpDir, `pg-${++counter}`);
  const server = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    persistent: false,
    settings,
  });
  // postmaster.pid's first line is the postmaster's pid (PostgreSQL docs, "Database File Layout").
  const pid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  ctx.pinServer(pid);
  const handle: BenchPostgres = {
    ...server,
    settings,
    describe,
    async stop() {
      running.delete(handle);
      await server.stop();
    },
  };
  running.add(handle);
  return handle;
}

/** Stops servers a suite left running (it failed or ran out of time); called by bench/run.ts. */
export async function stopLeftoverPostgres(): Promise<number> {
  const left = [...running];
  for (const s of left) await s.stop().catch(() => {});
  return left.length;
}
