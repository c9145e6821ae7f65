/**
 * Every query the rehearsed cluster runs against Prometheus or the database, and where it lives:
 * AnalysisTemplate metrics, PrometheusRule alerts and recording rules, Grafana dashboard panels
 * (ConfigMaps the Grafana sidecar loads) and KEDA ScaledObject triggers.
 */
import type { K8sObject } from '../model.js';

export type QueryKind = 'analysis' | 'alert' | 'record' | 'dashboard' | 'autoscaler';

export interface PromQuery {
  language: 'promql';
  kind: QueryKind;
  object: K8sObject;
  /** Where in the object: `metric success-rate`, `alert PaydayApiBurnFast`, `panel "…" (file.json)`. */
  where: string;
  query: string;
}

/** Something the check must not pass silently: a provider, trigger or dashboard it cannot read. */
export interface Unreadable {
  object: K8sObject;
  where: string;
  problem: string;
}

export interface SqlQuery {
  language: 'sql';
  object: K8sObject;
  where: string;
  query: string;
}

export interface Queries {
  promql: PromQuery[];
  sql: SqlQuery[];
  unreadable: Unreadable[];
  /** Recording rules: each `record` name is a metric Prometheus itself exports. */
  records: { name: string; object: K8sObject }[];
}

interface AnalysisMetric {
  name: string;
  provider?: Record<string, { query?: string } | undefined>;
}
interface Panel {
  title?: string;
  datasource?: { type?: string } | string | null;
  targets?: { expr?: string; datasource?: { type?: string } | string | null }[];
  panels?: Panel[];
}

/** Argo Rollouts providers the check traces: `prometheus` reads metrics; `job` sends traffic. */
const TRACED_PROVIDERS = new Set(['prometheus', 'job']);

const datasourceType = (d: Panel['datasource']) => (d && typeof d === 'object' ? d.type : undefined);

function panels(list: readonly Panel[] | undefined): Panel[] {
  return (list ?? []).flatMap((p) => [p, ...panels(p.panels)]);
}

/**
 * Parsed dashboard files by their text, for one rehearsal: every environment renders the same
 * dashboards, so each distinct file is parsed once per rehearse() call (model.ts RehearsalRun).
 * Callers only read what it holds.
 */
export type DashboardTexts = Map<string, { panels?: Panel[] } | Error>;

function parseDashboard(text: string, known: DashboardTexts | undefined): { panels?: Panel[] } | Error {
  let parsed = known?.get(text);
  if (parsed === undefined) {
    try {
      parsed = JSON.parse(text) as { panels?: Panel[] };
    } catch (e) {
      parsed = e as Error;
    }
    known?.set(text, parsed);
  }
  return parsed;
}

export function collectQueries(objects: readonly K8sObject[], dashboards?: DashboardTexts): Queries {
  const out: Queries = { promql: [], sql: [], unreadable: [], records: [] };
  for (const object of objects) {
    const spec = (object.spec ?? {}) as Record<string, unknown>;
    if (object.kind === 'AnalysisTemplate' || object.kind === 'ClusterAnalysisTemplate') {
      for (const m of (spec.metrics ?? []) as AnalysisMetric[]) {
        const where = `metric ${m.name}`;
        for (const [name, provider] of Object.entries(m.provider ?? {})) {
          if (!TRACED_PROVIDERS.has(name)) {
            out.unreadable.push({
              object,
              where,
              problem: `provider ${name} cannot be traced (the rehearsal reads prometheus and job)`,
            });
          } else if (name === 'prometheus') {
            out.promql.push({
              language: 'promql',
              kind: 'analysis',
              object,
              where,
              query: provider?.query ?? '',
            });
          }
        }
      }
    } else if (object.kind === 'PrometheusRule') {
      for (const g of (spec.groups ?? []) as {
        rules?: { alert?: string; record?: string; expr?: unknown }[];
      }[]) {
        for (const r of g.rules ?? []) {
          const kind = r.record ? 'record' : 'alert';
          out.promql.push({
            language: 'promql',
            kind,
            object,
            where: `${kind} ${r.record ?? r.alert}`,
            query: String(r.expr ?? ''),
          });
          if (r.record) out.records.push({ name: r.record, object });
        }
      }
    } else if (object.kind === 'ConfigMap' && object.metadata.labels?.grafana_dashboard !== undefined) {
      for (const [file, text] of Object.entries((object.data ?? {}) as Record<string, string>)) {
        if (!file.endsWith('.json')) continue;
        const dashboard = parseDashboard(text, dashboards);
        if (dashboard instanceof Error) {
          out.unreadable.push({
            object,
            where: file,
            problem: `dashboard JSON does not parse: ${dashboard.message}`,
          });
          continue;
        }
        for (const p of panels(dashboard.panels)) {
          for (const t of p.targets ?? []) {
            const type = datasourceType(t.datasource) ?? datasourceType(p.datasource) ?? 'prometheus';
            if (t.expr === undefined || type !== 'prometheus') continue;
            out.promql.push({
              language: 'promql',
              kind: 'dashboard',
              object,
              where: `panel "${p.title}" (${file})`,
              query: t.expr,
            });
          }
        }
      }
    } else if (object.kind === 'ScaledObject' || object.kind === 'ScaledJob') {
      for (const t of (spec.triggers ?? []) as {
        type: string;
        name?: string;
        metadata?: Record<string, string>;
      }[]) {
        const where = `trigger ${t.name ?? t.type}`;
        if (t.type === 'prometheus') {
          out.promql.push({
            language: 'promql',
            kind: 'autoscaler',
            object,
            where,
            query: t.metadata?.query ?? '',
          });
        } else if (t.type === 'postgresql') {
          out.sql.push({ language: 'sql', object, where, query: t.metadata?.query ?? '' });
        } else {
          out.unreadable.push({
            object,
            where,
            problem: `trigger type ${t.type} cannot be traced (the rehearsal reads prometheus and postgresql)`,
          });
        }
      }
    }
  }
  return out;
}
