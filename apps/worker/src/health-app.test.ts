import { describe, expect, it } from 'vitest';
import { createApp } from './health-app.js';
import { createMetrics } from './observability/metrics.js';
import { useTestDatabase } from './testing/fixtures.js';

const db = useTestDatabase();

describe('health app', () => {
  it('answers liveness, readiness and metrics with the version label', async () => {
    let accepting = true;
    const metrics = createMetrics('2.0.0');
    metrics.setQueueDepth([{ type: 'webhook.deliver', depth: 3, oldestAgeSeconds: 12 }]);
    const app = createApp({ database: db.current, metrics, accepting: () => accepting });
    expect((await app.request('/healthz')).status).toBe(200);
    expect(await (await app.request('/readyz')).json()).toEqual({ status: 'ready' });
    const text = await (await app.request('/metrics')).text();
    expect(text).toContain('payday_queue_depth{type="webhook.deliver",version="2.0.0"} 3');
    expect(text).toContain('payday_queue_oldest_age_seconds{type="webhook.deliver",version="2.0.0"} 12');
    // A type whose queue emptied reads 0 instead of its last value.
    metrics.setQueueDepth([]);
    expect(await (await app.request('/metrics')).text()).toContain(
      'payday_queue_depth{type="webhook.deliver",version="2.0.0"} 0',
    );
    accepting = false;
    const draining = await app.request('/readyz');
    expect(draining.status).toBe(503);
    expect(await draining.json()).toEqual({ status: 'draining' });
  });
});
