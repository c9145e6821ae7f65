import type { Registry } from 'prom-client';

/**
 * The request counter and duration histogram as plain numbers per label set, exported through a
 * prom-client `Registry` in exactly the lines prom-client's own `Counter` and `Histogram` write
 * (request-series.test.ts compares the two scrapes byte for byte).
 *
 * Why not prom-client's metrics: prom-client 15.1.3 hashes and validates the label set on every
 * `inc` and `observe`, even through a `labels()` child (lib/counter.js, lib/histogram.js), which
 * cost about 6 µs of a GET's CPU and a few short-lived objects (bench/README.md, "API: where the
 * time goes"). Here a label set is validated once, when its series is made, and a request is an
 * addition and a bucket search. The registry still writes the exposition text: escaping, the
 * default `version` label, the content type.
 */

type Labels<L extends string> = Record<L, string>;

/** What prom-client's registry reads of a metric (lib/registry.js `getMetricsAsString`). */
interface Exported {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  values: Array<{
    labels: Record<string, string | number>;
    sharedLabels?: Record<string, string>;
    value: number;
    metricName?: string;
    /** prom-client writes exemplars only in OpenMetrics; its buckets carry `null` without them. */
    exemplar?: null;
  }>;
}

/** A label set must name every label of the metric and nothing else, as prom-client checks. */
function checkLabels(metric: string, names: readonly string[], labels: Record<string, string>): void {
  const given = Object.keys(labels);
  if (given.length !== names.length || !given.every((n) => names.includes(n))) {
    throw new Error(`${metric}: labels ${given.join(', ')} are not ${names.join(', ')}`);
  }
}

/**
 * The key of a label set: its values in the metric's label order. prom-client's `labels()` gives
 * the same series for the same set, and callers rely on it (the metrics middleware asks for the
 * duration, which has no status label, once per route, method and status).
 */
function seriesKey(names: readonly string[], labels: Record<string, string>): string {
  return JSON.stringify(names.map((n) => labels[n]));
}

export class RequestCounter<L extends string> {
  readonly type = 'counter';
  readonly aggregator = 'sum';
  private readonly series: Array<{ labels: Labels<L>; value: number }> = [];
  private readonly byKey = new Map<string, { inc(): void }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  /** The series of one label set (the same one for the same set); keep it, `inc` is one addition. */
  labels(labels: Labels<L>): { inc(): void } {
    checkLabels(this.name, this.labelNames, labels);
    const key = seriesKey(this.labelNames, labels);
    const known = this.byKey.get(key);
    if (known) return known;
    const series = { labels: { ...labels }, value: 0 };
    this.series.push(series);
    const child = {
      inc() {
        series.value += 1;
      },
    };
    this.byKey.set(key, child);
    return child;
  }

  get(): Exported {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: this.series.map((s) => ({ labels: s.labels, value: s.value })),
    };
  }

  /** `Registry.resetMetrics()`: every series back to zero (the middleware keeps its children). */
  reset(): void {
    for (const s of this.series) s.value = 0;
  }
}

export class RequestHistogram<L extends string> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series: Array<{ labels: Labels<L>; counts: Float64Array; sum: number; count: number }> =
    [];
  private readonly byKey = new Map<string, { observe(value: number): void }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[],
    readonly buckets: readonly number[],
    registry: Registry,
  ) {
    if (buckets.some((b, i) => i > 0 && b <= buckets[i - 1]!)) {
      throw new Error(`${name}: buckets must increase`);
    }
    registry.registerMetric(this as never);
  }

  /** The series of one label set (the same one for the same set); `observe` adds a value to the first bucket it fits (le). */
  labels(labels: Labels<L>): { observe(value: number): void } {
    checkLabels(this.name, this.labelNames, labels);
    const key = seriesKey(this.labelNames, labels);
    const known = this.byKey.get(key);
    if (known) return known;
    const series = { labels: { ...labels }, counts: new Float64Array(this.buckets.length), sum: 0, count: 0 };
    this.series.push(series);
    const bounds = this.buckets;
    const child = {
      observe(value: number) {
        if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
        series.sum += value;
        series.count += 1;
        for (let i = 0; i < bounds.length; i++) {
          if (value <= bounds[i]!) {
            series.counts[i]! += 1;
            return;
          }
        }
      },
    };
    this.byKey.set(key, child);
    return child;
  }

  /**
   * The shape prom-client's `Histogram.getForPromString` gives the registry: per series the
   * cumulative buckets (`le` as the number), `+Inf`, `_sum`, `_count`, the series' labels shared.
   */
  getForPromString(): Exported {
    const values: Exported['values'] = [];
    for (const s of this.series) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += s.counts[i]!;
        values.push({
          labels: { le },
          sharedLabels: s.labels,
          value: cumulative,
          metricName: `${this.name}_bucket`,
          exemplar: null,
        });
      });
      values.push({
        labels: { le: '+Inf' },
        sharedLabels: s.labels,
        value: s.count,
        metricName: `${this.name}_bucket`,
        exemplar: null,
      });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** `Registry.getMetricsAsJSON()`: the shared labels folded into each value's own. */
  get(): Exported {
    const data = this.getForPromString();
    data.values = data.values.map(({ sharedLabels, labels, ...rest }) => ({
      ...rest,
      labels: { ...labels, ...sharedLabels },
    }));
    return data;
  }

  reset(): void {
    for (const s of this.series) {
      s.counts.fill(0);
      s.sum = 0;
      s.count = 0;
    }
  }
}
