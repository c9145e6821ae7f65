import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchContext } from './harness.js';
import { BENCH_PG_SETTINGS, startBenchPostgres, stopLeftoverPostgres } from './postgres.js';

describe('startBenchPostgres', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await stopLeftoverPostgres();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('starts a throwaway server on loopback with the explicit durability settings, pinned as a server', async () => {
    const tmpDir = await mkdtemp(join(tmpdir(), 'bench-pg-test-'));
    dirs.push(tmpDir);
    const pinned: number[] = [];
    const progress: string[] = [];
    const ctx: BenchContext = {
      quick: true,
      rounds: 1,
      tmpDir,
      cpus: { enabled: true, load: '0', server: '1', description: 'test' },
      pinServer: (pid) => pinned.push(pid!),
      progress: (m) => progress.push(m),
    };
    const pg = await startBenchPostgres(ctx, { synchronous_commit: 'off' });
    const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
    try {
      const settings = await sql<{ name: string; setting: string }[]>`
        select name, setting from pg_settings
        where name in ('fsync', 'synchronous_commit', 'full_page_writes', 'listen_addresses')`;
      expect(Object.fromEntries(settings.map((s) => [s.name, s.setting]))).toEqual({
        fsync: 'on',
        synchronous_commit: 'off',
        full_page_writes: 'on',
        listen_addresses: '127.0.0.1',
      });
    } finally {
      await sql.end();
    }
    expect(pg.describe).toContain('fsync=on synchronous_commit=off full_page_writes=on');
    expect(pg.settings).toEqual({ ...BENCH_PG_SETTINGS, synchronous_commit: 'off' });
    expect(progress[0]).toContain('starting a throwaway PostgreSQL (fsync=on');
    // The pinned pid is the postmaster itself.
    expect(pinned).toHaveLength(1);
    expect(readFileSync(`/proc/${pinned[0]}/comm`, 'utf8').trim()).toBe('postgres');
    // A server the suite forgot is stopped by the harness.
    expect(await stopLeftoverPostgres()).toBe(1);
    expect(() => readFileSync(`/proc/${pinned[0]}/comm`)).toThrow();
  }, 120_000);
});
