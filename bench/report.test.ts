import { describe, expect, it } from 'vitest';
import { absolute, compare, stats } from './harness.js';
import { goalText, markdownTable, rows, summarize, summaryLines, textTable } from './report.js';

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
    });
    expect(summaryLines(s)).toEqual([
      'Goals: 1 of 3 met.',
      'Missed: api.post-payments, api.post-payments.p99.',
      'Suites that failed (no figures): render.',
    ]);
  });
});
