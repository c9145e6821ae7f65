/**
 * What the API exports to Prometheus, as data: metric names, help texts, labels, buckets and the
 * label values the request middleware can produce. Kept apart from the registry (metrics.ts) so
 * that readers of the definitions alone, such as the cluster rehearsal's metric provenance check
 * (docs/rehearsal.md), do not load prom-client and Hono to learn them.
 */

/** 5 ms … 10 s, the buckets the analysis templates' p99 queries expect (team brief). */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The `app` label every request series of this module carries. */
export const APP_LABEL = 'api';

/**
 * Probe and scrape paths, never counted: the kubelet and Prometheus call them on every pod every
 * few seconds, so counting them would let one idle pod meet an analysis' request-count guard and
 * would dilute the canary's success rate and latency (docs/rehearsal.md, "Metric provenance").
 */
export const UNCOUNTED_PATHS: readonly string[] = ['/healthz', '/readyz', '/metrics'];

export const REQUESTS = {
  name: 'http_requests_total',
  help: 'HTTP requests by route template, method and status',
  labelNames: ['app', 'route', 'method', 'status', 'version'] as const,
};
export const DURATION = {
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by route template and method',
  labelNames: ['app', 'route', 'method', 'version'] as const,
};

/** A request counter or duration histogram as written above: name, help and label names. */
interface RequestMetric {
  name: string;
  help: string;
  labelNames: readonly string[];
}

/**
 * What an HTTP app's request middleware exports to Prometheus (a request counter and a duration
 * histogram, every series labelled with the app), in the shape the cluster rehearsal's metric
 * provenance check reads (docs/rehearsal.md): the API's below, the frontend's from its own module.
 */
export function httpMetricDefinitions<const App extends string>(def: {
  app: App;
  uncountedPaths: readonly string[];
  requests: RequestMetric;
  duration: RequestMetric;
  buckets: readonly number[];
}) {
  return {
    app: def.app,
    defaultLabels: ['version'],
    uncountedPaths: def.uncountedPaths,
    metrics: [
      {
        name: def.requests.name,
        type: 'counter',
        labels: def.requests.labelNames,
        values: { app: [def.app] },
      },
      {
        name: def.duration.name,
        type: 'histogram',
        labels: def.duration.labelNames,
        buckets: def.buckets,
        values: { app: [def.app] },
      },
    ],
  } as const;
}

/** What this module exports to Prometheus (`httpMetricDefinitions`). */
export const METRIC_DEFINITIONS = httpMetricDefinitions({
  app: APP_LABEL,
  uncountedPaths: UNCOUNTED_PATHS,
  requests: REQUESTS,
  duration: DURATION,
  buckets: DURATION_BUCKETS,
});
