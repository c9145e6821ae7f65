/**
 * Prometheus metrics with the names the Argo Rollouts analysis templates query (team brief:
 * `http_requests_total{app,route,method,status,version}` and the
 * `http_request_duration_seconds` histogram). `route` is the matched route pattern, never the
 * raw path, so a payment id cannot blow up label cardinality. The registry is built from
 * metric-definitions.ts, which the cluster rehearsal reads without loading prom-client.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { APP_LABEL, BUCKETS, DURATION, REQUESTS, UNCOUNTED_PATHS } from './metric-definitions.js';

export interface Metrics {
  registry: Registry;
  middleware: MiddlewareHandler;
}

/** The pattern of the route that handled the request (middleware is registered as ALL or `*`). */
function handlerRoute(c: Context): string {
  const handlers = matchedRoutes(c).filter((r) => r.method !== 'ALL' && r.path !== '*' && r.path !== '/*');
  return handlers[handlers.length - 1]?.path ?? 'unmatched';
}

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
