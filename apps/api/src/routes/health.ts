import { type Database, migrationStatus } from '@payday/db';
import { Hono } from 'hono';
import type { ApiMetrics } from '../http/metrics.js';

/**
 * `/healthz`: the process is up (liveness; never touches the database, so a database outage
 * does not restart every pod). `/readyz`: the database answers and has this build's migrations,
 * and we are not shutting down (readiness). `/metrics`: Prometheus text format.
 */
export function healthRoutes(database: Database, metrics: ApiMetrics, lifecycle: { draining: boolean }) {
  let migrationsCurrent = false;
  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      if (lifecycle.draining) return c.json({ status: 'draining' }, 503);
      try {
        await database.sql`select 1`;
        if (!migrationsCurrent) {
          const status = await migrationStatus(database.sql);
          if (!status.current) {
            return c.json({ status: 'migrations_pending', expected: status.expected }, 503);
          }
          migrationsCurrent = true; // once current, it stays so for this build
        }
        return c.json({ status: 'ready' });
      } catch (error) {
        return c.json({ status: 'database_unreachable', error: (error as Error).message }, 503);
      }
    })
    .get('/metrics', async (c) =>
      c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }),
    );
}
