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
    // Every peer drains at its best settings: none fails to reach the kill.
    expect(results.failed).toEqual(new Map());
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

describe('crash measurements when a peer failed its round', () => {
  const round = (lost: number, runTwice: number, recoveryMs: number) => ({
    lost,
    runTwice,
    recoveryMs,
    beforeKill: 100,
  });
  const reason = 'round 1: pg-boss: only 300 of 2000 jobs ran within 60000 ms; no crash to recover';

  it('compares ours with the peers that finished and records the failed one with its reason', () => {
    const ms = crashMeasurements(
      {
        rounds: new Map([
          ['ours', [round(0, 0, 3000)]],
          ['graphile-worker', [round(0, 4, 2000)]],
          ['pg-boss', []],
        ]),
        failed: new Map([['pg-boss', reason]]),
      },
      'test server',
    );
    expect(ms.map((m) => [m.metric, m.baseline?.label, m.met, m.failed])).toEqual([
      ['queue-peers.crash-lost', 'fewest of the peers (graphile-worker)', true, undefined],
      ['queue-peers.crash-run-twice', 'fewest of the peers (graphile-worker)', true, undefined],
      ['queue-peers.crash-recovery', 'fastest peer (graphile-worker)', undefined, undefined],
      ['queue-peers.crash-pg-boss', undefined, undefined, reason],
    ]);
    expect(ms[1]!.goal).toEqual({ op: '<=', value: 4, absolute: true });
    expect(ms[2]!.ratio).toBe(1.5);
    expect(ms[0]!.note).toBe(
      'test server; SIGKILL at half of the jobs, lease 2 s; peers: graphile-worker 0; pg-boss failed (queue-peers.crash-pg-boss)',
    );
  });

  it('with no peer left: lost keeps its absolute goal, run twice has no bound and fails', () => {
    const ms = crashMeasurements(
      {
        rounds: new Map([
          ['ours', [round(2, 0, 3000)]],
          ['graphile-worker', []],
          ['pg-boss', []],
        ]),
        failed: new Map([
          ['graphile-worker', 'round 1: graphile-worker worker not ready within 60 s:'],
          ['pg-boss', reason],
        ]),
      },
      'test server',
    );
    expect(ms.map((m) => [m.metric, m.ours.median, m.met, m.failed])).toEqual([
      ['queue-peers.crash-lost', 2, false, undefined],
      [
        'queue-peers.crash-run-twice',
        Number.NaN,
        undefined,
        'no peer finished a crash round to set the bound',
      ],
      ['queue-peers.crash-recovery', 3000, undefined, undefined],
      [
        'queue-peers.crash-graphile-worker',
        Number.NaN,
        undefined,
        'round 1: graphile-worker worker not ready within 60 s:',
      ],
      ['queue-peers.crash-pg-boss', Number.NaN, undefined, reason],
    ]);
    expect(ms[0]!.note).toMatch(/peers: none; graphile-worker failed .*; pg-boss failed/);
  });
});
