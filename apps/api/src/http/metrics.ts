import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface ApiMetrics {
  registry: Registry;
  requests: Counter<'app' | 'route' | 'method' | 'status' | 'version'>;
  duration: Histogram<'app' | 'route' | 'method' | 'version'>;
}

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

const REQUESTS = {
  name: 'http_requests_total',
  help: 'HTTP requests by route template, method and status',
  labelNames: ['app', 'route', 'method', 'status', 'version'] as const,
};
const DURATION = {
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by route template and method',
  labelNames: ['app', 'route', 'method', 'version'] as const,
};

/**
 * What this module exports to Prometheus, read by the cluster rehearsal's metric provenance check
 * (docs/rehearsal.md): names, labels, buckets and the label values the middleware can produce.
 */
export const METRIC_DEFINITIONS = {
  app: APP_LABEL,
  defaultLabels: ['version'],
  uncountedPaths: UNCOUNTED_PATHS,
  metrics: [
    { name: REQUESTS.name, type: 'counter', labels: REQUESTS.labelNames, values: { app: [APP_LABEL] } },
    {
      name: DURATION.name,
      type: 'histogram',
      labels: DURATION.labelNames,
      buckets: DURATION_BUCKETS,
      values: { app: [APP_LABEL] },
    },
  ],
} as const;

/**
 * A registry of its own per app instance (tests create several), with the metric names the
 * Argo Rollouts analysis templates query: `http_requests_total` and
 * `http_request_duration_seconds`, labelled by route template (never the raw path, which would
 * explode cardinality with ids).
 */
export function createMetrics(options: { version: string; defaultMetrics?: boolean }): ApiMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ version: options.version });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({ ...REQUESTS, labelNames: [...REQUESTS.labelNames], registers: [registry] }),
    duration: new Histogram({
      ...DURATION,
      labelNames: [...DURATION.labelNames],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
  };
}

export function metricsMiddleware(metrics: ApiMetrics, version: string): MiddlewareHandler {
  // Bounded: routes are templates (or 'unmatched'), methods and statuses are few.
  const children = new Map<
    string,
    { requests: { inc(): void }; duration: { observe(value: number): void } }
  >();
  return async (c, next) => {
    if (UNCOUNTED_PATHS.includes(c.req.path)) return next();
    const start = process.hrtime.bigint();
    try {
      await next();
    } finally {
      // Unmatched paths all count as one route so scanners cannot create label values.
      const route = c.res.status === 404 && routePath(c) === '*' ? 'unmatched' : routePath(c);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const method = c.req.method;
      const status = c.res.status;
      // prom-client hashes the label object on every call; the children (`labels()`) are cached
      // per label set, so a request costs two map lookups instead of two hash builds.
      const key = `${route} ${method} ${status}`;
      let child = children.get(key);
      if (!child) {
        child = {
          requests: metrics.requests.labels({
            app: APP_LABEL,
            route,
            method,
            version,
            status: String(status),
          }),
          duration: metrics.duration.labels({ app: APP_LABEL, route, method, version }),
        };
        children.set(key, child);
      }
      child.requests.inc();
      child.duration.observe(seconds);
    }
  };
}
