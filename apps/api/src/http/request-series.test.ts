import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DURATION, DURATION_BUCKETS, REQUESTS } from './metric-definitions.js';
import { RequestCounter, RequestHistogram } from './request-series.js';

/** A registry as createMetrics builds it: its own, the `version` default label. */
function registry() {
  const r = new Registry();
  r.setDefaultLabels({ version: '1.2.3' });
  return r;
}

/** Our request metrics in one registry and prom-client's own in another, defined alike. */
function sideBySide() {
  const ours = registry();
  const theirs = registry();
  return {
    ours,
    theirs,
    counter: new RequestCounter(REQUESTS.name, REQUESTS.help, REQUESTS.labelNames, ours),
    histogram: new RequestHistogram(
      DURATION.name,
      DURATION.help,
      DURATION.labelNames,
      DURATION_BUCKETS,
      ours,
    ),
    promCounter: new Counter({ ...REQUESTS, labelNames: [...REQUESTS.labelNames], registers: [theirs] }),
    promHistogram: new Histogram({
      ...DURATION,
      labelNames: [...DURATION.labelNames],
      buckets: DURATION_BUCKETS,
      registers: [theirs],
    }),
  };
}

const LABEL_SETS = [
  { app: 'api', route: '/v1/payments/:id', method: 'GET', version: '1.2.3' },
  { app: 'api', route: '/v1/payments', method: 'POST', version: '1.2.3' },
  // Values the exposition format must escape (backslash, quote, newline).
  { app: 'api', route: 'a\\b"c\nd', method: 'GET', version: '1.2.3' },
];
// On a bound, between bounds, under the first, above the last (only +Inf), fractions that add up
// with rounding.
const DURATIONS = [0.005, 0.0051, 0.0001, 0.3, 10, 11.5, 0.1, 0.2, 0.30000000000000004, 2.5];

describe('request series', () => {
  it('scrape byte for byte as prom-client Counter and Histogram with the same labels, buckets and values', async () => {
    const { ours, theirs, counter, histogram, promCounter, promHistogram } = sideBySide();
    LABEL_SETS.forEach((labels, n) => {
      const status = n === 1 ? '201' : '200';
      const inc = counter.labels({ ...labels, status });
      const observe = histogram.labels(labels);
      const promInc = promCounter.labels({ ...labels, status });
      const promObserve = promHistogram.labels(labels);
      for (const d of DURATIONS.slice(n)) {
        inc.inc();
        observe.observe(d * (n + 1));
        promInc.inc();
        promObserve.observe(d * (n + 1));
      }
    });
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="+Inf",app="api",route="/v1/payments/:id",method="GET",version="1.2.3"} 10',
    );
    expect(text).toContain('route="a\\\\b\\"c\\nd"');
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());

    ours.resetMetrics();
    expect(await ours.metrics()).toContain(
      'http_requests_total{app="api",route="/v1/payments",method="POST",version="1.2.3",status="201"} 0',
    );
    expect(await ours.metrics()).not.toMatch(/ [1-9][0-9.e+-]*$/m);
  });

  it('gives the same series for the same label set, as prom-client does: one duration series for a route answered 200 and 404', async () => {
    const { ours, theirs, counter, histogram, promCounter, promHistogram } = sideBySide();
    // The metrics middleware asks for a child per (route, method, status); the duration has no
    // status label, so the 200 and the 404 of one route ask for the same duration series.
    const labels = LABEL_SETS[0]!;
    for (const [status, seconds] of [
      ['200', 0.01],
      ['404', 0.02],
      ['200', 0.03],
    ] as const) {
      counter.labels({ ...labels, status }).inc();
      histogram.labels({ ...labels }).observe(seconds);
      promCounter.labels({ ...labels, status }).inc();
      promHistogram.labels({ ...labels }).observe(seconds);
    }
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text.match(/^http_request_duration_seconds_count\{/gm)).toHaveLength(1);
    expect(text).toContain(
      'http_requests_total{app="api",route="/v1/payments/:id",method="GET",version="1.2.3",status="200"} 2',
    );
  });

  it('refuses a label set that is not the metric’s, a value that is not a number, buckets out of order', () => {
    const r = registry();
    const counter = new RequestCounter(REQUESTS.name, REQUESTS.help, REQUESTS.labelNames, r);
    expect(() =>
      counter.labels({ app: 'api', route: '/', method: 'GET', version: 'v', code: '200' } as never),
    ).toThrow(
      'http_requests_total: labels app, route, method, version, code are not app, route, method, status, version',
    );
    const histogram = new RequestHistogram(DURATION.name, DURATION.help, DURATION.labelNames, [0.1, 1], r);
    const observe = histogram.labels({ app: 'api', route: '/', method: 'GET', version: 'v' });
    expect(() => observe.observe(Number.NaN)).toThrow('Value is not a valid number: NaN');
    expect(() => new RequestHistogram('h', 'h', [], [1, 1], registry())).toThrow('h: buckets must increase');
    // Nothing was counted by the refusals.
    return r.getMetricsAsJSON().then((json) => {
      expect(json.find((m) => m.name === DURATION.name)?.values.every((v) => v.value === 0)).toBe(true);
      expect(json.find((m) => m.name === REQUESTS.name)?.values).toEqual([]);
    });
  });

  it('cannot register a name twice in one registry, as prom-client refuses', () => {
    const r = registry();
    new RequestCounter(REQUESTS.name, REQUESTS.help, REQUESTS.labelNames, r);
    expect(() => new RequestCounter(REQUESTS.name, REQUESTS.help, REQUESTS.labelNames, r)).toThrow(
      'A metric with the name http_requests_total has already been registered.',
    );
  });
});
