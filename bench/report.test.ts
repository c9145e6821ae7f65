import { describe, expect, it } from 'vitest';
import { absolute, compare, failedMeasurement, stats } from './harness.js';
import {
  goalText,
  LATEST_MARKER,
  markdownTable,
  type ResultsDocument,
  rows,
  summarize,
  summaryLines,
  textTable,
  wasBusy,
  withLatestResults,
} from './report.js';

const post = compare(
  'api.post-payments',
  'req/s',
  { ours: stats([400, 500, 450]), baseline: stats([1000, 1100, 900]) },
  'pgbench',
  { op: '>=', value: 0.5 },
);
const p99 = absolute('api.post-payments.p99', 'ms', stats([30, 60, 70]), { op: '<=', value: 50 });
const info = absolute('render.validate.cold', 'ms', stats([1234]));

describe('results table', () => {
  it('prints median [min–max] on both sides, the ratio, the goal and the verdict', () => {
    expect(rows('api', [post, p99, info])).toEqual([
      [
        'api',
        'api.post-payments',
        '450 req/s [400–500]',
        '1000 req/s [900–1100] pgbench',
        '0.45×',
        'ratio ≥ 0.5×',
        'MISS',
      ],
      ['api', 'api.post-payments.p99', '60.0 ms [30.0–70.0]', '', '', '≤ 50.0 ms', 'MISS'],
      ['api', 'render.validate.cold', '1234 ms [1234–1234]', '', '', '', ''],
    ]);
    expect(goalText({ op: '<=', value: 3 }, 'ms')).toBe('ratio ≤ 3×');
    expect(goalText(undefined, 'ms')).toBe('');
  });

  it('aligns the text table and bolds misses in markdown', () => {
    const body = rows('api', [post]);
    const text = textTable(['suite', 'metric', 'a', 'b', 'ratio', 'goal', 'verdict'], body).split('\n');
    // Columns start at the same offset on every line: 'suite' is 5 wide, the metric 17, then 2 spaces.
    expect(text[0]!.indexOf('metric')).toBe(7);
    expect(text[2]!.indexOf('api.post-payments')).toBe(7);
    expect(text[0]!.slice(26, 27)).toBe('a');
    expect(text[2]!.slice(26)).toMatch(/^450 req\/s/);
    expect(text[1]).toMatch(/^-{5} {2}-{17} {2}-+/);
    const md = markdownTable(['suite', 'metric', 'a', 'b', 'ratio', 'goal', 'verdict'], body);
    expect(md.split('\n')[2]).toBe(
      '| api | api.post-payments | 450 req/s [400–500] | 1000 req/s [900–1100] pgbench | 0.45× | ratio ≥ 0.5× | **MISS** |',
    );
  });

  it('counts goals met and missed and names failed suites', () => {
    const met = compare('gate.time', 'ms', { ours: stats([1]), baseline: stats([1]) }, 'parse', {
      op: '<=',
      value: 3,
    });
    const s = summarize([
      { suite: 'api', description: '', seconds: 1, measurements: [post, p99, info] },
      { suite: 'gate', description: '', seconds: 1, measurements: [met] },
      { suite: 'render', description: '', seconds: 1, measurements: [], error: 'boom' },
    ]);
    expect(s).toEqual({
      goals: 3,
      met: 1,
      missed: ['api.post-payments', 'api.post-payments.p99'],
      failed: ['render'],
      failedMeasurements: [],
    });
    expect(summaryLines(s)).toEqual([
      'Goals: 1 of 3 met.',
      'Missed: api.post-payments, api.post-payments.p99.',
      'Suites that failed (no figures): render.',
    ]);
  });

  it('shows a failed measurement as FAILED with its reason, beside the suite’s other figures', () => {
    const peer = failedMeasurement(
      'queue-peers.crash-pg-boss',
      'jobs',
      'round 1: pg-boss: only 300 of 2000 jobs ran within 60000 ms; no crash to recover\nmore',
    );
    expect(peer.note).toBe(
      'failed: round 1: pg-boss: only 300 of 2000 jobs ran within 60000 ms; no crash to recover\nmore',
    );
    expect(rows('queue-peers', [peer])).toEqual([
      ['queue-peers', 'queue-peers.crash-pg-boss', 'failed (see note)', '', '', '', 'FAILED'],
    ]);
    expect(
      markdownTable(['a', 'b', 'c', 'd', 'e', 'f', 'g'], rows('queue-peers', [peer])).split('\n')[2],
    ).toBe('| queue-peers | queue-peers.crash-pg-boss | failed (see note) |  |  |  | **FAILED** |');
    const s = summarize([{ suite: 'queue-peers', description: '', seconds: 1, measurements: [post, peer] }]);
    // The suite produced figures: it is not a failed suite, and the failed measurement is no goal.
    expect(s).toEqual({
      goals: 1,
      met: 0,
      missed: ['api.post-payments'],
      failed: [],
      failedMeasurements: [
        'queue-peers.crash-pg-boss: round 1: pg-boss: only 300 of 2000 jobs ran within 60000 ms; no crash to recover',
      ],
    });
    expect(summaryLines(s)).toEqual([
      'Goals: 0 of 1 met.',
      'Missed: api.post-payments.',
      'Measurement failed (no figures): queue-peers.crash-pg-boss: round 1: pg-boss: only 300 of 2000 jobs ran within 60000 ms; no crash to recover',
    ]);
  });
});

describe('README section', () => {
  const doc: ResultsDocument = {
    date: '2026-11-21T07:58:12.000Z',
    commit: 'abc1234',
    quick: false,
    rounds: 3,
    seconds: 600,
    machine: {
      cpus: 2,
      cpuModel: 'AMD EPYC',
      memoryGiB: 24,
      platform: 'linux-x64',
      kernel: '6.1',
      loadAverage: [0.5, 1, 2],
    },
    loadAverageAfter: [1.8, 1.5, 1.2],
    pinning: 'load generator on core 0, servers on core 1 (taskset)',
    postgres: 'postgres (PostgreSQL) 17.10, fsync=on',
    tools: { node: 'v20.20.2' },
    packages: { yaml: '2.9.1' },
    summary: summarize([{ suite: 'api', description: '', seconds: 1, measurements: [post] }]),
    results: [{ suite: 'api', description: '', seconds: 1, measurements: [post] }],
  };

  it('replaces everything after the marker with the machine, the table and a link to the file', () => {
    const readme = `# Benchmarks\n\nmethod…\n\n${LATEST_MARKER}\n\nold table\n`;
    const out = withLatestResults(readme, doc, 'results/2026-11-21-abc1234.md');
    expect(out.startsWith(`# Benchmarks\n\nmethod…\n\n${LATEST_MARKER}\n`)).toBe(true);
    expect(out).not.toContain('old table');
    expect(out).toContain(
      '### Latest: 2026-11-21 07:58 UTC, commit abc1234 ([results/2026-11-21-abc1234.md](results/2026-11-21-abc1234.md))',
    );
    expect(out).toContain('- Machine: 2 × AMD EPYC, 24 GiB, linux-x64, kernel 6.1.');
    // Load 1.8 at the end on 2 cores is the run's own: the section does not call the machine busy.
    expect(wasBusy(doc)).toBe(false);
    expect(out).toContain("at end 1.8 / 1.5 / 1.2, the run's own work included.");
    expect(out).toContain('| api | api.post-payments | 450 req/s [400–500] |');
    expect(out).toContain('Goals: 0 of 1 met.');
    // Running it again replaces the section instead of appending another.
    expect(withLatestResults(out, doc, 'results/x.md').match(/### Latest/g)).toHaveLength(1);
  });

  it('calls the machine busy for load at the start or CPU used by other work, not for its own load', () => {
    const at = (start: number, other: number | undefined, end = 1.8) =>
      wasBusy({
        ...doc,
        machine: { ...doc.machine, loadAverage: [start, 1, 1] },
        loadAverageAfter: [end, 1, 1],
        ...(other === undefined ? {} : { otherCores: other }),
      });
    // Start: above half the 2 cores.
    expect(at(1.0, 0)).toBe(false);
    expect(at(1.01, 0)).toBe(true);
    // During the run: above a quarter of a core outside the bench's processes.
    expect(at(0.5, 0.25)).toBe(false);
    expect(at(0.5, 0.26)).toBe(true);
    // The end load is the run's own: however high, it does not make the run busy.
    expect(at(0.5, 0.1, 3.5)).toBe(false);
    // Files written before other work was measured: the start decides.
    expect(at(0.5, undefined, 3.5)).toBe(false);
    const busy = withLatestResults(`${LATEST_MARKER}\n`, { ...doc, otherCores: 0.6 }, 'results/x.md');
    expect(busy).toContain(
      "at end 1.8 / 1.5 / 1.2, the run's own work included; other work used 0.60 cores on average during the run (CPU time outside the bench's processes) (busy: other work was running on the machine",
    );
  });

  it('refuses a README without the marker', () => {
    expect(() => withLatestResults('# Benchmarks\n', doc, 'x.md')).toThrow(`has no ${LATEST_MARKER} line`);
  });
});
