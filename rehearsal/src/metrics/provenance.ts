/**
 * Traces one PromQL selector to its exporters: the metric name, each matched label and each
 * matched value must be something an exporter in the cluster produces; analysis and SLO queries
 * over request counters must leave out probe and scrape paths.
 */
import type { Catalogue, ExportedMetric } from './exporter.js';
import type { Grouping, Matcher, Selector } from './promql.js';

/** A metric as a selector sees it: histogram and summary series resolved to their exporter. */
interface Resolved {
  metric: ExportedMetric;
  labels: readonly string[] | undefined;
  values: Readonly<Record<string, readonly string[]>>;
}

/** Prometheus' exposition of `le`: Go's shortest float formatting, `+Inf` for the last bucket. */
const le = (buckets: readonly number[]) => [...buckets.map(String), '+Inf'];

export function resolve(catalogue: Catalogue, name: string): Resolved[] {
  const direct = (catalogue.metrics.get(name) ?? []).map((m) => ({
    metric: m,
    labels: m.labels,
    values: m.values,
  }));
  const suffix = /^(.*)_(bucket|count|sum)$/.exec(name);
  if (!suffix) return direct;
  const [, base = '', part] = suffix;
  const derived = (catalogue.metrics.get(base) ?? [])
    .filter((m) => m.type === 'histogram' || (m.type === 'summary' && part !== 'bucket'))
    .map((m) =>
      part === 'bucket' && m.labels
        ? { metric: m, labels: [...m.labels, 'le'].sort(), values: { ...m.values, le: le(m.buckets ?? []) } }
        : { metric: m, labels: m.labels, values: m.values },
    );
  return [...direct, ...derived];
}

/** Whether `value` is templated by Argo Rollouts (`{{args.x}}`): any value may arrive. */
const templated = (value: string) => value.includes('{{');

/** Compiled once per pattern: every matcher is tried against many exporters' values. */
const anchoredCache = new Map<string, RegExp>();
const anchored = (re: string): RegExp => {
  let compiled = anchoredCache.get(re);
  if (!compiled) {
    compiled = new RegExp(`^(?:${re})$`);
    anchoredCache.set(re, compiled);
  }
  return compiled;
};

/** Whether a series whose label is `value` (`''` when absent) passes the matcher. */
export function passes(m: Matcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return anchored(m.value).test(value);
    case '!~':
      return !anchored(m.value).test(value);
  }
}

/** What keeps this exporter from ever matching the selector; empty when it can match. */
function problems(metric: string, s: Selector, r: Resolved): string[] {
  const out: string[] = [];
  for (const m of s.matchers) {
    if (templated(m.value)) continue;
    // A matcher that an absent label passes (`!=`, `!~`, `=""`) needs neither label nor value.
    if (passes(m, '')) continue;
    if (r.labels && !r.labels.includes(m.label)) {
      out.push(
        `${metric} has no label ${m.label} (it carries ${r.labels.join(', ')}; exported by ${r.metric.source})`,
      );
      continue;
    }
    const values = r.values[m.label];
    if (values?.length === 0)
      out.push(
        `${metric}{${m.label}${m.op}"${m.value}"} never matches: nothing in this cluster gives ${m.label} a value (${r.metric.source})`,
      );
    else if (values && !values.some((v) => passes(m, v)))
      out.push(
        `${metric}{${m.label}${m.op}"${m.value}"} never matches: ${m.label} is one of ${values.map((v) => `"${v}"`).join(', ')} (${r.metric.source})`,
      );
  }
  return out;
}

export interface SelectorTrace {
  /** The exporters the selector can match. */
  matched: Resolved[];
  problems: string[];
}

export function traceSelector(catalogue: Catalogue, s: Selector): SelectorTrace {
  if (s.metric === undefined)
    return { matched: [], problems: ['a selector without a metric name cannot be traced to an exporter'] };
  const candidates = resolve(catalogue, s.metric);
  if (candidates.length === 0) {
    const base = s.metric.replace(/_(bucket|count|sum)$/, '');
    const u = catalogue.unscraped.get(s.metric) ?? catalogue.unscraped.get(base);
    return {
      matched: [],
      problems: [
        u
          ? `${s.metric} is exported by ${u.source} but nothing scrapes it: ${u.reason}`
          : `${s.metric} is exported by nothing in this cluster (neither our apps, a pinned upstream component nor a recording rule)`,
      ],
    };
  }
  const traced = candidates.map((r) => ({ r, p: problems(s.metric ?? '', s, r) }));
  const matched = traced.filter((t) => t.p.length === 0).map((t) => t.r);
  if (matched.length > 0) return { matched, problems: [] };
  const fewest = traced.reduce((a, b) => (b.p.length < a.p.length ? b : a));
  return { matched: [], problems: fewest.p };
}

/** `by (…)` labels that a grouped metric does not carry. */
export function traceGrouping(catalogue: Catalogue, g: Grouping): string[] {
  const out: string[] = [];
  for (const s of g.selectors) {
    if (s.metric === undefined) continue;
    const rs = resolve(catalogue, s.metric);
    if (rs.length === 0) continue;
    for (const label of g.labels) {
      if (rs.some((r) => r.labels === undefined || r.labels.includes(label))) continue;
      out.push(`by (${label}) over ${s.metric}, which has no label ${label} (${rs[0]?.metric.source})`);
    }
  }
  return out;
}

/**
 * Probe and scrape paths a request counter counts that the selector's `route` matchers let in.
 * Probes arrive every few seconds on every pod, so an idle pod would meet a request-count guard
 * and probe successes would dilute the success rate and latency.
 */
export function probePathsLetIn(s: Selector, r: Resolved): string[] {
  const counted = r.metric.countedProbePaths ?? [];
  const route = s.matchers.filter((m) => m.label === 'route');
  return counted.filter((p) => route.every((m) => passes(m, p)));
}
