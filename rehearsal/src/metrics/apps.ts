/**
 * Our apps as exporters: their metric definitions come from the apps themselves (each app's
 * metric-definitions module exports `METRIC_DEFINITIONS`, built from the same objects its
 * prom-client registry is built from, and imports neither prom-client nor Hono),
 * and the labels a scraped series carries come from the rendered PodMonitor that selects the
 * app's pods (prometheus-operator v0.93.0 pkg/prometheus/promcfg.go: target labels, and one
 * sanitised label per `podTargetLabels` entry).
 */
import { METRIC_DEFINITIONS as API } from '@payday/api/metric-definitions';
import { METRIC_DEFINITIONS as FRONTEND } from '@payday/frontend/metric-definitions';
import { METRIC_DEFINITIONS as WORKER } from '@payday/worker/metric-definitions';
import type { K8sObject } from '../model.js';
import {
  type ExportedMetric,
  type MetricType,
  POD_TARGET_LABELS,
  sanitizeLabel,
  type Unscraped,
} from './exporter.js';

/** The shape each app's `METRIC_DEFINITIONS` has. */
export interface AppMetricDefinitions {
  /** The app's `app.kubernetes.io/name`. */
  app: string;
  /** prom-client default labels, on every series of the registry. */
  defaultLabels: readonly string[];
  /** Paths the request middleware does not count. */
  uncountedPaths: readonly string[];
  metrics: readonly {
    name: string;
    type: MetricType;
    labels: readonly string[];
    buckets?: readonly number[];
    values?: Readonly<Record<string, readonly string[]>>;
  }[];
}

export const APP_DEFINITIONS: readonly AppMetricDefinitions[] = [API, WORKER, FRONTEND];

const WORKLOADS = new Set(['Rollout', 'Deployment', 'StatefulSet', 'DaemonSet']);

interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec?: {
    containers?: {
      livenessProbe?: Probe;
      readinessProbe?: Probe;
      startupProbe?: Probe;
    }[];
  };
}
interface Probe {
  httpGet?: { path?: string };
}
interface PodMonitorSpec {
  selector?: { matchLabels?: Record<string, string> };
  podTargetLabels?: string[];
  podMetricsEndpoints?: { path?: string; port?: string }[];
}

const template = (o: K8sObject): PodTemplate | undefined =>
  (o.spec as { template?: PodTemplate } | undefined)?.template;

/** The paths the kubelet probes on a pod template. */
function probePaths(t: PodTemplate): string[] {
  const paths = (t.spec?.containers ?? []).flatMap((c) =>
    [c.livenessProbe, c.readinessProbe, c.startupProbe].map((p) => p?.httpGet?.path),
  );
  return paths.filter((p): p is string => typeof p === 'string');
}

/**
 * Every app metric Prometheus scrapes in the scenario, or why it scrapes none: the app is not
 * deployed, or no PodMonitor selects its pods.
 */
export function appExporters(
  objects: readonly K8sObject[],
  definitions: readonly AppMetricDefinitions[] = APP_DEFINITIONS,
): { metrics: ExportedMetric[]; unscraped: Unscraped[] } {
  const metrics: ExportedMetric[] = [];
  const unscraped: Unscraped[] = [];
  const monitors = objects.filter((o) => o.kind === 'PodMonitor');
  for (const def of definitions) {
    const source = `app ${def.app} (@payday/${def.app}/metric-definitions METRIC_DEFINITIONS)`;
    const workloads = objects.filter(
      (o) => WORKLOADS.has(o.kind) && template(o)?.metadata?.labels?.['app.kubernetes.io/name'] === def.app,
    );
    const scrapes = workloads.flatMap((w) => {
      const labels = template(w)?.metadata?.labels ?? {};
      return monitors
        .filter((m) => {
          if (m.metadata.namespace !== w.metadata.namespace) return false;
          const match = Object.entries((m.spec as PodMonitorSpec).selector?.matchLabels ?? {});
          return match.length > 0 && match.every(([k, v]) => labels[k] === v);
        })
        .map((monitor) => ({ workload: w, monitor }));
    });
    if (scrapes.length === 0) {
      const reason =
        workloads.length === 0
          ? `app ${def.app} is not deployed in this scenario`
          : `no PodMonitor selects the pods of ${workloads.map((w) => `${w.kind}/${w.metadata.name}`).join(', ')}`;
      for (const m of def.metrics) unscraped.push({ metric: m.name, source, reason });
      continue;
    }
    for (const { workload, monitor } of scrapes) {
      const spec = monitor.spec as PodMonitorSpec;
      const podLabels = template(workload)?.metadata?.labels ?? {};
      const target: Record<string, readonly string[] | undefined> = {};
      for (const l of POD_TARGET_LABELS) target[l] = undefined;
      target.namespace = [monitor.metadata.namespace ?? ''];
      target.job = [`${monitor.metadata.namespace}/${monitor.metadata.name}`];
      for (const l of spec.podTargetLabels ?? []) {
        // Set on the template: one value; added by a controller (pod-template-hash): any value.
        const v = podLabels[l];
        target[sanitizeLabel(l)] = v === undefined ? undefined : [v];
      }
      const scrapePaths = (spec.podMetricsEndpoints ?? [{}]).map((e) => e.path ?? '/metrics');
      const probed = [...new Set([...probePaths(template(workload) ?? {}), ...scrapePaths])];
      const counted = probed.filter((p) => !def.uncountedPaths.includes(p)).sort();
      for (const m of def.metrics) {
        const values: Record<string, readonly string[]> = { ...(m.values ?? {}) };
        for (const [l, v] of Object.entries(target)) if (v) values[l] = v;
        metrics.push({
          name: m.name,
          type: m.type,
          labels: [...new Set([...m.labels, ...def.defaultLabels, ...Object.keys(target)])].sort(),
          values,
          ...(m.buckets ? { buckets: m.buckets } : {}),
          source: `${source}, scraped by PodMonitor/${monitor.metadata.namespace}/${monitor.metadata.name}`,
          ...(m.labels.includes('route') ? { countedProbePaths: counted } : {}),
        });
      }
    }
  }
  return { metrics, unscraped };
}
