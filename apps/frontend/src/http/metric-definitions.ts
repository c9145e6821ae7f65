/**
 * What the frontend exports to Prometheus, as data: metric names, help texts, labels, buckets and
 * the label values the request middleware can produce. Kept apart from the registry (metrics.ts)
 * so that readers of the definitions alone, such as the cluster rehearsal's metric provenance
 * check (docs/rehearsal.md), do not load prom-client and Hono to learn them.
 */
import { DURATION_BUCKETS, httpMetricDefinitions } from '@payday/api/metric-definitions';

/** The `app` label every request series of this module carries. */
export const APP_LABEL = 'frontend';

/**
 * Probe and scrape paths, never counted: the kubelet and Prometheus call them on every pod every
 * few seconds, so counting them would let an idle preview pod pass the pre-promotion analysis'
 * request-count guard (docs/rehearsal.md, "Metric provenance").
 */
export const UNCOUNTED_PATHS: readonly string[] = ['/healthz', '/readyz', '/metrics'];

/** The API's buckets, so the analysis templates' latency queries read both apps alike. */
export const BUCKETS = DURATION_BUCKETS;
export const REQUESTS = {
  name: 'http_requests_total',
  help: 'HTTP requests served, by matched route and status.',
  labelNames: ['app', 'route', 'method', 'status'] as const,
};
export const DURATION = {
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration, by matched route.',
  labelNames: ['app', 'route', 'method'] as const,
};

/** What this module exports to Prometheus (`httpMetricDefinitions`). */
export const METRIC_DEFINITIONS = httpMetricDefinitions({
  app: APP_LABEL,
  uncountedPaths: UNCOUNTED_PATHS,
  requests: REQUESTS,
  duration: DURATION,
  buckets: BUCKETS,
});
