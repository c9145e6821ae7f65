import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { METRIC_DEFINITIONS } from './metric-definitions.js';
import { createMetrics } from './metrics.js';

describe('frontend request metrics', () => {
  it('probes and scrapes are not counted, so only real page requests reach the analysis guard', async () => {
    const metrics = createMetrics('t');
    const app = new Hono();
    app.use(metrics.middleware);
    for (const path of ['/healthz', '/readyz', '/metrics', '/login']) app.get(path, (c) => c.text('ok'));
    for (const path of ['/healthz', '/readyz', '/metrics', '/login']) await app.request(path);
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'http_requests_total{app="frontend",route="/login",method="GET",status="200",version="t"} 1',
    );
    expect(text).not.toMatch(/http_requests_total\{[^}]*route="\/(healthz|readyz|metrics)"/);
  });

  it('METRIC_DEFINITIONS describes the request metrics it builds', () => {
    const names = createMetrics('t')
      .registry.getMetricsAsArray()
      .map((m) => m.name)
      .filter((n) => n.startsWith('http_'));
    expect(names).toEqual(METRIC_DEFINITIONS.metrics.map((m) => m.name));
  });
});
