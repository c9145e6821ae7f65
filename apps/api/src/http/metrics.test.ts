import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { METRIC_DEFINITIONS } from './metric-definitions.js';
import { createMetrics, metricsMiddleware } from './metrics.js';

describe('API request metrics', () => {
  it('probes and scrapes are not counted, so a request-count guard counts real requests only', async () => {
    const metrics = createMetrics({ version: 't', defaultMetrics: false });
    const app = new Hono();
    app.use('*', metricsMiddleware(metrics, 't'));
    for (const path of ['/healthz', '/readyz', '/metrics', '/v1/balance']) app.get(path, (c) => c.text('ok'));
    for (const path of ['/healthz', '/readyz', '/metrics', '/healthz', '/v1/balance'])
      await app.request(path);
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'http_requests_total{app="api",route="/v1/balance",method="GET",version="t",status="200"} 1',
    );
    expect(text).not.toMatch(/route="\/(healthz|readyz|metrics)"/);
  });

  it('METRIC_DEFINITIONS describes the registry it builds (the rehearsal traces queries to it)', async () => {
    const metrics = createMetrics({ version: 't', defaultMetrics: false });
    const registered = metrics.registry.getMetricsAsArray().map((m) => [m.name, m.type]);
    expect(registered).toEqual(METRIC_DEFINITIONS.metrics.map((m) => [m.name, m.type]));
  });
});
