/**
 * The crash measure's structure, in the bench's quick style: a real PostgreSQL, real worker
 * processes for all three queues, SIGKILL mid-drain, a fresh worker. Asserts what each round
 * counts and that no worker process outlives it; nothing about timings.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmbeddedServer, startEmbeddedPostgres, THROWAWAY_SETTINGS } from '@payday/db/embedded';
import { freePort } from '@payday/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processTree } from '../pinning.js';
import { crashMeasurements, measureCrash } from './crash.js';
import { CRASH_PEERS } from './settings.js';

describe('queue crash measure', () => {
  let dir: string;
  let pg: EmbeddedServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-crash-test-'));
    pg = await startEmbeddedPostgres({
      dataDir: join(dir, 'pg'),
      port: await freePort(),
      persistent: false,
      settings: { ...THROWAWAY_SETTINGS, max_connections: 100 },
    });
  }, 120_000);
  afterAll(async () => {
    await pg?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('kills each queue’s worker mid-drain, restarts it, and counts lost, run twice and recovery', async () => {
    const n = 200;
    const before = new Set(processTree(process.pid));
    const progress: string[] = [];
    const results = await measureCrash({ rounds: 1, progress: (m) => progress.push(m) }, pg.url, n, 60_000);
    expect([...results.rounds.keys()]).toEqual([...CRASH_PEERS]);
    for (const [peer, rounds] of results.rounds) {
      expect(rounds, peer).toHaveLength(1);
      const r = rounds[0]!;
      // Killed mid-drain: at least half had run, not all of them.
      expect(r.beforeKill, peer).toBeGreaterThanOrEqual(n / 2);
      expect(r.beforeKill, peer).toBeLessThan(n);
      expect(r.lost, peer).toBeGreaterThanOrEqual(0);
      expect(r.lost, peer).toBeLessThanOrEqual(n);
      expect(r.runTwice, peer).toBeGreaterThanOrEqual(0);
    }
    // Our lease rescue gives every job of the dead worker back, and each posts its run with its
    // completion in one transaction: nothing lost, nothing recorded twice.
    expect(results.rounds.get('ours')![0]).toMatchObject({ lost: 0, runTwice: 0 });
    expect(Number.isFinite(results.rounds.get('ours')![0]!.recoveryMs)).toBe(true);
    expect(progress[0]).toBe(`crash: round 1/1, ours: ${n} jobs, SIGKILL at half`);
    // Every worker process it started has exited.
    expect(processTree(process.pid).filter((p) => !before.has(p) && p !== process.pid)).toEqual([]);

    const ms = crashMeasurements(results, 'test server');
    expect(ms.map((m) => m.metric)).toEqual([
      'queue-peers.crash-lost',
      'queue-peers.crash-run-twice',
      'queue-peers.crash-recovery',
    ]);
    expect(ms[0]).toMatchObject({ unit: 'jobs', goal: { op: '<=', value: 0, absolute: true }, met: true });
    expect(ms[1]!.goal).toMatchObject({ op: '<=', absolute: true });
    expect(ms[1]!.baseline!.label).toMatch(/^fewest of the peers \((graphile-worker|pg-boss)\)$/);
    expect(ms[2]!.goal).toBeUndefined();
    expect(ms[2]!.note).toMatch(/peers: graphile-worker \d+, pg-boss \d+$/);
  }, 300_000);
});
