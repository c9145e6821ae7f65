import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { APP_LABEL, DURATION, DURATION_BUCKETS, REQUESTS, UNCOUNTED_PATHS } from './metric-definitions.js';

export interface ApiMetrics {
  registry: Registry;
  requests: Counter<'app' | 'route' | 'method' | 'status' | 'version'>;
  duration: Histogram<'app' | 'route' | 'method' | 'version'>;
}

/**
 * A registry of its own per app instance (tests create several), built from the definitions in
 * metric-definitions.ts (which the cluster rehearsal reads without loading prom-client), with the
 * metric names the Argo Rollouts analysis templates query: `http_requests_total` and
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
