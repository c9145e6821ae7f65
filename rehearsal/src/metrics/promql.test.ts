import { describe, expect, it, vi } from 'vitest';
import { PromqlError, parsePromql } from './promql.js';

describe('parsePromql', () => {
  it('reads every selector and its matchers, through functions, binary operators and subqueries', () => {
    const q = parsePromql(
      'sum(rate(http_requests_total{app="api",status!~"5..",route!=\'/x\'}[5m])) / on() max_over_time({__name__="up",job=~`a|b`}[1h:1m])',
    );
    expect(q.selectors).toEqual([
      {
        metric: 'http_requests_total',
        matchers: [
          { label: 'app', op: '=', value: 'api' },
          { label: 'status', op: '!~', value: '5..' },
          { label: 'route', op: '!=', value: '/x' },
        ],
      },
      { metric: 'up', matchers: [{ label: 'job', op: '=~', value: 'a|b' }] },
    ]);
  });

  it('keeps Argo Rollouts argument placeholders as the literal value', () => {
    const q = parsePromql('x{h="{{args.canary-hash}}"}');
    expect(q.selectors[0]?.matchers[0]?.value).toBe('{{args.canary-hash}}');
  });

  it('records `by` groupings with the selectors they aggregate directly', () => {
    const q = parsePromql(
      'histogram_quantile(0.95, sum by (le, version) (rate(a_bucket[5m]))) and sum by (x) (max by (y) (b))',
    );
    expect(q.groupings).toEqual([
      { labels: ['le', 'version'], selectors: [{ metric: 'a_bucket', matchers: [] }] },
      { labels: ['y'], selectors: [{ metric: 'b', matchers: [] }] },
      { labels: ['x'], selectors: [] },
    ]);
  });

  it('fails closed on what the grammar rejects (a Grafana variable in a range)', () => {
    expect(() => parsePromql('rate(x[$__rate_interval])')).toThrow(
      new PromqlError('PromQL syntax error at offset 7: …$__rate_interval])'),
    );
    expect(() => parsePromql('sum(rate(x[5m])')).toThrow(PromqlError);
  });

  it('parses each text once: the same query gives the same result, a rejected one the same error', () => {
    const query = 'sum by (le) (rate(payday_once_bucket{job="api"}[5m]))';
    expect(parsePromql(query)).toBe(parsePromql(query));
    expect(parsePromql(query).selectors).toEqual([
      { metric: 'payday_once_bucket', matchers: [{ label: 'job', op: '=', value: 'api' }] },
    ]);
    const bad = 'rate(payday_once[$__interval])';
    const first = (() => {
      try {
        parsePromql(bad);
      } catch (e) {
        return e;
      }
    })();
    expect(first).toBeInstanceOf(PromqlError);
    expect(() => parsePromql(bad)).toThrow(first as Error);
  });
});

describe('parsedQueries and rememberParsedQueries', () => {
  /** A fresh copy of the module: its own memo, as in the next process. */
  async function freshModule(): Promise<typeof import('./promql.js')> {
    vi.resetModules();
    return import('./promql.js');
  }

  it('hand the parsed queries to another memo as they were, selectors shared with their groupings', async () => {
    const query = 'sum by (route) (rate(x_total{a="1"}[5m])) / count(up) + y{__name__="z"}';
    const first = await freshModule();
    const parsed = first.parsePromql(query);
    expect(() => first.parsePromql('sum(')).toThrow(first.PromqlError);
    const json = JSON.parse(JSON.stringify(first.parsedQueries())) as unknown;
    // The rejected query is not handed over (the next process parses it again and rejects it).
    expect((json as [string][]).map(([q]) => q)).toEqual([query]);

    const next = await freshModule();
    expect(next.rememberParsedQueries(json)).toBe(1);
    const remembered = next.parsePromql(query);
    expect(remembered).toEqual(parsed);
    expect(Object.keys(remembered.selectors[1]!)).toEqual(['metric', 'matchers']);
    expect(remembered.groupings[0]!.selectors[0]).toBe(remembered.selectors[0]);
    expect(() => next.parsePromql('sum(')).toThrow('PromQL syntax error at offset 4');
  });

  it('skip entries of another shape, which are parsed again when asked for', async () => {
    const m = await freshModule();
    const good = [[[null, [['job', '=', 'a']]]], [[['job'], [0]]]];
    expect(
      m.rememberParsedQueries([
        ['bad_op', [[['x', [['job', '==', 'a']]]], []]],
        ['bad index', [[['x', []]], [[['job'], [1]]]]],
        ['bad label', [[['x', [[1, '=', 'a']]]], []]],
        ['short', [[]]],
        [1, good],
        'not an entry',
        ['{job="a"}', good],
      ]),
    ).toBe(1);
    expect(m.rememberParsedQueries({ not: 'a list' })).toBe(0);
    expect(m.parsedQueries().map(([q]) => q)).toEqual(['{job="a"}']);
    expect(m.parsePromql('bad_op')).toEqual({
      selectors: [{ metric: 'bad_op', matchers: [] }],
      groupings: [],
    });
  });
});
