/**
 * Prometheus metrics with the names the Argo Rollouts analysis templates query (team brief:
 * `http_requests_total{app,route,method,status,version}` and the
 * `http_request_duration_seconds` histogram). `route` is the matched route pattern, never the
 * raw path, so a payment id cannot blow up label cardinality.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  middleware: MiddlewareHandler;
}

/** The pattern of the route that handled the request (middleware is registered as ALL or `*`). */
function handlerRoute(c: Context): string {
  const handlers = matchedRoutes(c).filter((r) => r.method !== 'ALL' && r.path !== '*' && r.path !== '/*');
  return handlers[handlers.length - 1]?.path ?? 'unmatched';
}

/** The `app` label every request series of this module carries. */
export const APP_LABEL = 'frontend';

/**
 * Probe and scrape paths, never counted: the kubelet and Prometheus call them on every pod every
 * few seconds, so counting them would let an idle preview pod pass the pre-promotion analysis'
 * request-count guard (docs/rehearsal.md, "Metric provenance").
 */
export const UNCOUNTED_PATHS: readonly string[] = ['/healthz', '/readyz', '/metrics'];

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const REQUESTS = {
  name: 'http_requests_total',
  help: 'HTTP requests served, by matched route and status.',
  labelNames: ['app', 'route', 'method', 'status'] as const,
};
const DURATION = {
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration, by matched route.',
  labelNames: ['app', 'route', 'method'] as const,
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
      buckets: BUCKETS,
      values: { app: [APP_LABEL] },
    },
  ],
} as const;

export function createMetrics(version: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ version });
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({ ...REQUESTS, labelNames: [...REQUESTS.labelNames], registers: [registry] });
  const duration = new Histogram({
    ...DURATION,
    labelNames: [...DURATION.labelNames],
    buckets: BUCKETS,
    registers: [registry],
  });
  const middleware: MiddlewareHandler = async (c, next) => {
    if (UNCOUNTED_PATHS.includes(c.req.path)) return next();
    const start = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const route = handlerRoute(c);
      const labels = { app: APP_LABEL, route, method: c.req.method };
      duration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
      requests.inc({ ...labels, status: String(c.res.status) });
    }
  };
  return { registry, middleware };
}
