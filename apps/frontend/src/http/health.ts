/**
 * Probes (team brief): `/healthz` says the process is up (liveness must not depend on the API,
 * or an API outage would restart every dashboard pod); `/readyz` says this pod should get
 * traffic: the API answers and no SIGTERM has arrived (runbooks: graceful shutdown, flip
 * readiness first); `/metrics` is the Prometheus exposition.
 */
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { DashboardApi } from '../api.js';

export interface HealthDeps {
  registry: Registry;
  api: Pick<DashboardApi, 'ping'>;
  isDraining?: () => boolean;
}

export function healthRoutes(deps: HealthDeps) {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (deps.isDraining?.()) return c.json({ status: 'draining' }, 503);
    const ok = await deps.api.ping().catch(() => false);
    return ok ? c.json({ status: 'ready' }) : c.json({ status: 'api unavailable' }, 503);
  });
  app.get('/metrics', async (c) =>
    c.body(await deps.registry.metrics(), 200, { 'Content-Type': deps.registry.contentType }),
  );
  return app;
}
