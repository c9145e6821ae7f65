import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { APP_LABEL, DURATION, DURATION_BUCKETS, REQUESTS, UNCOUNTED_PATHS } from './metric-definitions.js';
import { RequestCounter, RequestHistogram } from './request-series.js';

export interface ApiMetrics {
  registry: Registry;
  requests: RequestCounter<'app' | 'route' | 'method' | 'status' | 'version'>;
  duration: RequestHistogram<'app' | 'route' | 'method' | 'version'>;
}

/**
 * A registry of its own per app instance (tests create several), built from the definitions in
 * metric-definitions.ts (which the cluster rehearsal reads without loading prom-client), with the
 * metric names the Argo Rollouts analysis templates query: `http_requests_total` and
 * `http_request_duration_seconds`, labelled by route template (never the raw path, which would
 * explode cardinality with ids). The two request metrics are request-series.ts's: prom-client's
 * exposition, without its per-request label hashing.
 */
export function createMetrics(options: { version: string; defaultMetrics?: boolean }): ApiMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ version: options.version });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new RequestCounter(REQUESTS.name, REQUESTS.help, REQUESTS.labelNames, registry),
    duration: new RequestHistogram(
      DURATION.name,
      DURATION.help,
      DURATION.labelNames,
      DURATION_BUCKETS,
      registry,
    ),
  };
}

type Child = { requests: { inc(): void }; duration: { observe(value: number): void } };

export function metricsMiddleware(metrics: ApiMetrics, version: string): MiddlewareHandler {
  // Bounded: routes are templates (or 'unmatched'), methods and statuses are few. Keyed route →
  // method → status rather than by one joined string: hono's route and Node's method strings
  // are the same objects on every request, so each lookup hashes nothing new, where a joined
  // key is a fresh string to flatten and hash per request (bench/README.md, "API: where the
  // time goes").
  const children = new Map<string, Map<string, Map<number, Child>>>();
  const childOf = (route: string, method: string, status: number): Child => {
    let byMethod = children.get(route);
    if (!byMethod) {
      byMethod = new Map();
      children.set(route, byMethod);
    }
    let byStatus = byMethod.get(method);
    if (!byStatus) {
      byStatus = new Map();
      byMethod.set(method, byStatus);
    }
    let child = byStatus.get(status);
    if (!child) {
      // A series per label set, made once: then a request is an addition and a bucket search.
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
      byStatus.set(status, child);
    }
    return child;
  };
  return async (c, next) => {
    if (UNCOUNTED_PATHS.includes(c.req.path)) return next();
    // A float of milliseconds: `process.hrtime.bigint()` allocates two BigInts per request.
    const start = performance.now();
    try {
      await next();
    } finally {
      const seconds = (performance.now() - start) / 1000;
      const status = c.res.status;
      const template = routePath(c);
      // Unmatched paths all count as one route so scanners cannot create label values.
      const route = status === 404 && template === '*' ? 'unmatched' : template;
      const child = childOf(route, c.req.method, status);
      child.requests.inc();
      child.duration.observe(seconds);
    }
  };
}
