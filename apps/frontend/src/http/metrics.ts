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

export function createMetrics(version: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ version });
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests served, by matched route and status.',
    labelNames: ['app', 'route', 'method', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration, by matched route.',
    labelNames: ['app', 'route', 'method'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const middleware: MiddlewareHandler = async (c, next) => {
    const start = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const route = handlerRoute(c);
      const labels = { app: 'frontend', route, method: c.req.method };
      duration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
      requests.inc({ ...labels, status: String(c.res.status) });
    }
  };
  return { registry, middleware };
}
