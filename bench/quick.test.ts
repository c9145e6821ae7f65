/**
 * Keeps `npm run bench` itself working (bench/README.md): the real CLI, in quick mode, over a
 * representative subset of suites — in-process CPU work (gate, history), PostgreSQL with pgbench
 * and pinning (worker), a separate server process under load and SIGTERM (shutdown-api). The whole
 * quick run takes minutes, so the rest are only loaded (load-suites.test.ts). Asserts that each
 * suite returns measurements and the run succeeds; nothing about timings
 * (docs/design/testing.md §Benchmarks, not timed tests).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsDocument } from './report.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
const SUBSET = ['gate', 'history', 'worker', 'shutdown-api'];

function bench(args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
}

describe('npm run bench', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-quick-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it(`runs ${SUBSET.join(', ')} in quick mode: every suite measures, the table and JSON come out`, async () => {
    const json = join(dir, 'quick.json');
    const { stdout, stderr } = await bench(['--quick', '--json', json, ...SUBSET]);
    const doc = JSON.parse(await readFile(json, 'utf8')) as ResultsDocument;
    expect(doc.quick).toBe(true);
    expect(doc.results.map((r) => r.suite)).toEqual(SUBSET);
    for (const r of doc.results) {
      expect(r.error, `${r.suite}: ${r.error}`).toBeUndefined();
      expect(r.measurements.length, r.suite).toBeGreaterThan(0);
      for (const m of r.measurements) {
        expect(m.metric).toMatch(new RegExp(`^${r.suite}\\.`));
        expect(Number.isFinite(m.ours.median), `${m.metric} median`).toBe(true);
      }
    }
    expect(doc.summary.failed).toEqual([]);
    expect(doc.tools.node).toBe(process.version);
    // The table names every measurement; progress went to stderr, one ▶ line per suite.
    for (const m of doc.results.flatMap((r) => r.measurements)) expect(stdout).toContain(m.metric);
    expect(stdout).toMatch(/^suite\s+metric\s+ours median/m);
    expect(stderr.match(/▶/g)).toHaveLength(SUBSET.length);
  }, 300_000);

  it('refuses an unknown suite by name, listing the known ones, before running anything', async () => {
    const err = (await bench(['unknown']).then(
      () => {
        throw new Error('bench accepted an unknown suite');
      },
      (e: unknown) => e,
    )) as { code: number; stdout: string; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr).toContain(
      'bench: unknown bench suite: unknown (known: api, frontend, gate, history, queue-peers, render,',
    );
    expect(err.stderr).not.toContain('▶');
    expect(err.stdout).toBe('');
  }, 60_000);

  it('refuses fewer than 3 rounds outside quick mode', async () => {
    const err = (await bench(['gate', '--rounds', '2']).catch((e: unknown) => e)) as {
      code: number;
      stderr: string;
    };
    expect(err.code).toBe(2);
    expect(err.stderr).toContain('--rounds must be at least 3 outside --quick');
  }, 60_000);
});
