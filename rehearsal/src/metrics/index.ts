/**
 * Metric provenance (docs/rehearsal.md, "Metric provenance"): every metric name, label and label
 * value an AnalysisTemplate, PrometheusRule, Grafana panel or KEDA trigger reads is traced to what
 * exports it in the rehearsed cluster: our apps (their own metric definitions), a pinned upstream
 * component (a committed list citing its source) or a recording rule.
 */
import { KEDA_QUEUE_DEPTH_SQL } from '@payday/db/queue-sql';
import { type Finding, type RehearsalCheck, type RehearsalRun, ref, type Scenario } from '../model.js';
import { buildCatalogue, type CatalogueInputs } from './catalogue.js';
import { previewTrafficProblems } from './preview-traffic.js';
import { parsePromql } from './promql.js';
import { probePathsLetIn, traceGrouping, traceSelector } from './provenance.js';
import { collectQueries, type DashboardTexts } from './queries.js';

/** Queries whose results gate a release or page someone: probes must not count in them. */
const GUARDED = new Set(['analysis', 'alert', 'record']);

/** The SQL statements a KEDA postgresql trigger may run: the ones @payday/db exports and tests. */
const KNOWN_SQL = new Map([[KEDA_QUEUE_DEPTH_SQL, 'KEDA_QUEUE_DEPTH_SQL']]);

export function metricFindings(
  scenario: Scenario,
  inputs: CatalogueInputs = {},
  dashboards?: DashboardTexts,
): Finding[] {
  const objects = scenario.objects.map((o) => o.object);
  const queries = collectQueries(objects, dashboards);
  const catalogue = buildCatalogue(objects, queries, inputs);
  const findings: Finding[] = [];
  const error = (object: Parameters<typeof ref>[0], message: string) =>
    findings.push({ check: 'metrics', severity: 'error', subject: ref(object), message });

  for (const u of queries.unreadable) error(u.object, `${u.where}: ${u.problem}`);
  for (const q of queries.promql) {
    let parsed: ReturnType<typeof parsePromql>;
    try {
      parsed = parsePromql(q.query);
    } catch (e) {
      error(q.object, `${q.where}: cannot trace the query: ${(e as Error).message}`);
      continue;
    }
    // Each message once per query, in the order first found. A Set rather than a closure per
    // query: under tsx every named closure is re-named (Object.defineProperty) when created.
    const messages = new Set<string>();
    for (const s of parsed.selectors) {
      const trace = traceSelector(catalogue, s);
      for (const p of trace.problems) messages.add(p);
      if (!GUARDED.has(q.kind)) continue;
      for (const r of trace.matched) {
        const letIn = probePathsLetIn(s, r);
        if (letIn.length > 0)
          messages.add(
            `${s.metric} counts ${letIn.join(', ')} (probes and scrapes of ${r.metric.source.split(' (')[0]}) and the selector does not exclude them: an idle pod meets a request-count guard and probes dilute the success rate and latency`,
          );
      }
    }
    for (const g of parsed.groupings) for (const m of traceGrouping(catalogue, g)) messages.add(m);
    for (const m of messages) error(q.object, `${q.where}: ${m}`);
  }
  for (const q of queries.sql) {
    if (!KNOWN_SQL.has(q.query.trim()))
      error(
        q.object,
        `${q.where}: the postgresql query is not a statement @payday/db exports (KEDA_QUEUE_DEPTH_SQL), so nothing tests it against the schema`,
      );
  }
  for (const p of previewTrafficProblems(objects)) error(p.object, p.message);
  return findings;
}

const dashboardsPerRun = new WeakMap<RehearsalRun, DashboardTexts>();

export const metricsCheck: RehearsalCheck = {
  name: 'metrics',
  run(scenario, rehearsal) {
    let dashboards: DashboardTexts | undefined;
    if (rehearsal) {
      dashboards = dashboardsPerRun.get(rehearsal) ?? new Map();
      dashboardsPerRun.set(rehearsal, dashboards);
    }
    return metricFindings(scenario, {}, dashboards);
  },
};
