/**
 * What exports a metric, as the provenance check sees it: the metric's name, every label a scraped
 * series carries (the exporter's own labels plus the target labels the scrape adds), the closed
 * sets of values a label can take, and where that fact comes from.
 */
import type { K8sObject } from '../model.js';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface ExportedMetric {
  name: string;
  type: MetricType;
  /** Every label of a scraped series. `undefined`: any label (a recording rule's output). */
  labels: readonly string[] | undefined;
  /** Labels whose values form a closed set; a label missing here takes any value. */
  values: Readonly<Record<string, readonly string[]>>;
  /** Histogram bucket bounds, which are the `le` values of `<name>_bucket`. */
  buckets?: readonly number[];
  /** The exporter, and the source at the pinned version (or in this repository) it follows. */
  source: string;
  /**
   * Set when the metric counts HTTP requests by `route`: the probe and scrape paths the exporter
   * counts on the pods it is scraped from. Analysis and SLO queries must leave them out.
   */
  countedProbePaths?: readonly string[];
}

/** An exporter whose metrics nothing scrapes, and why. */
export interface Unscraped {
  metric: string;
  source: string;
  reason: string;
}

export interface Catalogue {
  metrics: Map<string, ExportedMetric[]>;
  unscraped: Map<string, Unscraped>;
}

/** An upstream component's committed metric list at one version. */
export interface UpstreamMetric {
  name: string;
  type: MetricType;
  /** The labels the component sets on the series, before the scrape adds its own. */
  labels: readonly string[];
  values?: Readonly<Record<string, readonly string[]>>;
  /** Upstream file at the pinned tag that defines the metric (and its label values). */
  source: string;
}

export interface UpstreamComponent {
  component: string;
  version: string;
  metrics: readonly UpstreamMetric[];
  /**
   * How Prometheus scrapes the component in the rehearsed cluster: the labels the scrape adds
   * or renames, or why nothing scrapes it. Reads the rendered objects (a chart's values, a
   * ServiceMonitor), each rule citing the chart or operator source it follows.
   */
  scrape(objects: readonly K8sObject[]): Scrape | { unscraped: string };
}

export interface Scrape {
  /** Target labels with the values they take (`undefined`: any value). */
  targetLabels: Readonly<Record<string, readonly string[] | undefined>>;
  /**
   * `honor_labels: false` (the Prometheus default): a metric label that collides with a target
   * label is kept as `exported_<label>` (Prometheus docs, scrape_config `honor_labels`).
   */
  honorLabels: boolean;
  /** Closed value sets the rehearsed objects give a metric label (an HPA's name, say). */
  labelValues?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The labels the Prometheus Operator gives every target of a PodMonitor or ServiceMonitor
 * (prometheus-operator v0.93.0 pkg/prometheus/promcfg.go: `namespace`, `pod`, `container`,
 * `endpoint`, `job` for both; `service` for a ServiceMonitor), plus `instance` from Prometheus.
 */
export const POD_TARGET_LABELS = ['namespace', 'pod', 'container', 'endpoint', 'job', 'instance'] as const;
export const SERVICE_TARGET_LABELS = [...POD_TARGET_LABELS, 'service'] as const;

/** Applies a scrape to an upstream metric list. */
export function scraped(component: UpstreamComponent, scrape: Scrape): ExportedMetric[] {
  return component.metrics.map((m) => {
    const values: Record<string, readonly string[]> = {};
    const labels = new Set<string>();
    for (const label of m.labels) {
      const collides = label in scrape.targetLabels && !scrape.honorLabels;
      const name = collides ? `exported_${label}` : label;
      labels.add(name);
      const v = m.values?.[label] ?? scrape.labelValues?.[label];
      if (v) values[name] = v;
    }
    for (const [label, v] of Object.entries(scrape.targetLabels)) {
      if (labels.has(label) && scrape.honorLabels) continue;
      labels.add(label);
      if (v) values[label] = v;
    }
    return {
      name: m.name,
      type: m.type,
      labels: [...labels].sort(),
      values,
      source: `${component.component} ${component.version} ${m.source}`,
    };
  });
}

/** Prometheus' sanitised label name for a Kubernetes label (`app.kubernetes.io/name` → `app_kubernetes_io_name`). */
export const sanitizeLabel = (label: string): string => label.replace(/[^a-zA-Z0-9_]/g, '_');
