import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Database } from '@payday/db';
import type { ApiMetrics } from '../http/metrics.js';
import { databaseReadiness } from '../services/health.js';

const HealthSchema = z.object({ status: z.literal('ok') }).openapi('Health');
const ReadySchema = z.object({ status: z.literal('ready') }).openapi('Ready');
const NotReadySchema = z
  .object({
    status: z.enum(['draining', 'migrations_pending', 'database_unreachable']),
    expected: z.string().optional().openapi({ description: 'The newest migration this build expects' }),
    error: z.string().optional(),
  })
  .openapi('NotReady');

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  summary: 'Liveness: the process is up (never touches the database; no authentication)',
  responses: { 200: { description: 'Up', content: { 'application/json': { schema: HealthSchema } } } },
});

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  operationId: 'getReadiness',
  summary: "Readiness: the database answers with this build's migrations and we are not draining",
  responses: {
    200: { description: 'Ready for traffic', content: { 'application/json': { schema: ReadySchema } } },
    503: {
      description: 'Not ready: draining after SIGTERM, migrations pending, or no database',
      content: { 'application/json': { schema: NotReadySchema } },
    },
  },
});

const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  operationId: 'getMetrics',
  summary: 'Prometheus metrics in the text exposition format (no authentication)',
  responses: {
    200: {
      description: 'Metrics',
      content: { 'text/plain; version=0.0.4; charset=utf-8': { schema: z.string() } },
    },
  },
});

/**
 * `/healthz`: the process is up (liveness; never touches the database, so a database outage
 * does not restart every pod). `/readyz`: the database answers and has this build's migrations,
 * and we are not shutting down (readiness). `/metrics`: Prometheus text format. Declared as
 * OpenAPI routes so the served document lists every route the API answers.
 */
export function healthRoutes(database: Database, metrics: ApiMetrics, lifecycle: { draining: boolean }) {
  const databaseReady = databaseReadiness(database);
  return new OpenAPIHono()
    .openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200))
    .openapi(readyz, async (c) => {
      if (lifecycle.draining) return c.json({ status: 'draining' as const }, 503);
      const ready = await databaseReady();
      return ready.status === 'ready' ? c.json(ready, 200) : c.json(ready, 503);
    })
    .openapi(metricsRoute, async (c) =>
      c.text(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }),
    );
}
