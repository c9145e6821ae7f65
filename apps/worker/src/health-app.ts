/**
 * The worker's small HTTP surface for Kubernetes and Prometheus:
 * `/healthz` (the process is up: liveness), `/readyz` (the database answers and we are not
 * draining: 503 after SIGTERM), `/metrics` (Prometheus text format).
 */

import type { Database } from '@payday/db';
import { Hono } from 'hono';
import type { WorkerMetrics } from './observability/metrics.js';

export interface HealthDeps {
  database: Database;
  metrics: WorkerMetrics;
  /** False once a drain began. */
  accepting(): boolean;
}

export function createApp(deps: HealthDeps): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (!deps.accepting()) return c.json({ status: 'draining' }, 503);
    try {
      await deps.database.sql`select 1`;
      return c.json({ status: 'ready' });
    } catch (err) {
      return c.json({ status: 'database unavailable', error: (err as Error).message }, 503);
    }
  });
  app.get('/metrics', async (c) => {
    c.header('content-type', deps.metrics.registry.contentType);
    return c.body(await deps.metrics.registry.metrics());
  });
  return app;
}
