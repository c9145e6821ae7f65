import { Writable } from 'node:stream';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { createMetrics } from './http/metrics.js';
import { createLogger } from './telemetry/logger.js';
import { initTracing } from './telemetry/tracing.js';
import { createTestApi, readJson, type TestApi } from './testing/harness.js';

describe('health, metrics, headers', () => {
  let api: TestApi;
  let key: string;
  beforeAll(async () => {
    api = await createTestApi();
    key = (await api.merchant()).apiKey.secret;
  });
  afterAll(async () => api.close());

  it('/healthz is up; /readyz checks the database and migrations, and flips to 503 while draining', async () => {
    expect(await readJson(await api.call('GET', '/healthz'))).toEqual({ status: 'ok' });
    const ready = await api.call('GET', '/readyz');
    expect(ready.status).toBe(200);
    api.lifecycle.draining = true;
    try {
      const draining = await api.call('GET', '/readyz');
      expect(draining.status).toBe(503);
      expect(await readJson(draining)).toEqual({ status: 'draining' });
      expect((await api.call('GET', '/healthz')).headers.get('connection')).toBe('close');
    } finally {
      api.lifecycle.draining = false;
    }
  });

  it('/readyz is 503 when the migrations are behind', async () => {
    const saved = await api.database.sql`select id, created_at from drizzle.__drizzle_migrations`;
    await api.database.sql`update drizzle.__drizzle_migrations set created_at = 0`;
    const fresh = createApp({
      database: api.database,
      logger: pino({ level: 'silent' }),
      metrics: createMetrics({ version: 't', defaultMetrics: false }),
      version: 't',
      lifecycle: { draining: false },
    });
    try {
      const res = await fresh.request('/readyz');
      expect(res.status).toBe(503);
      expect((await readJson(res)).status).toBe('migrations_pending');
    } finally {
      for (const row of saved) {
        await api.database
          .sql`update drizzle.__drizzle_migrations set created_at = ${row.created_at} where id = ${row.id}`;
      }
    }
  });

  it('/metrics counts requests by route template, method, status and version', async () => {
    await api.call('GET', '/v1/payments/pay_abc', { token: key });
    await api.call('GET', '/v1/payments/pay_def', { token: key });
    const text = await (await api.call('GET', '/metrics')).text();
    expect(text).toContain(
      'http_requests_total{app="api",route="/v1/payments/:id",method="GET",version="test",status="404"} 2',
    );
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{le="\+Inf",app="api",route="\/v1\/payments\/:id",method="GET",version="test"\} 2/,
    );
    expect(text).not.toContain('pay_abc');
  });

  it('sets security headers, no-store on API responses, and a request id', async () => {
    const res = await api.call('GET', '/v1/balance', { token: key, headers: { 'x-request-id': 'req-123' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-request-id')).toBe('req-123');
  });

  it('serves an OpenAPI 3.1 document covering every /v1 route', async () => {
    const doc = await readJson(await api.call('GET', '/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/payments',
        '/v1/payments/{id}',
        '/v1/refunds',
        '/v1/balance',
        '/v1/events',
        '/v1/webhook_endpoints',
        '/v1/api_keys',
        '/v1/dashboard/login',
        '/v1/reports/volume',
      ]),
    );
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});

describe('logs and traces', () => {
  it('logs JSON lines with request id and trace id, never the API key; spans carry the route, and jobs the trace', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = initTracing({
      serviceName: 'payday-api',
      version: 't',
      processor: new SimpleSpanProcessor(exporter),
    });
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, cb) {
        lines.push(...String(chunk).trim().split('\n'));
        cb();
      },
    });
    const api = await createTestApi();
    try {
      const { apiKey } = await api.merchant();
      const logger = createLogger({ level: 'info', version: 't', destination });
      const app = createApp({
        database: api.database,
        logger,
        metrics: createMetrics({ version: 't', defaultMetrics: false }),
        version: 't',
        lifecycle: { draining: false },
        tracing: true,
      });
      const res = await app.request('/v1/payments', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${apiKey.secret}`,
          'content-type': 'application/json',
          traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        },
        body: JSON.stringify({ amount: 100, currency: 'usd' }),
      });
      expect(res.status).toBe(200);
      const access = lines.map((l) => JSON.parse(l)).find((l) => l.message === 'request');
      expect(access).toMatchObject({
        level: 'info',
        app: 'api',
        method: 'POST',
        route: '/v1/payments',
        status: 200,
        trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
        merchant_id: expect.stringMatching(/^acct_/),
        request_id: expect.any(String),
      });
      expect(lines.join('\n')).not.toContain(apiKey.secret);
      const spans = exporter.getFinishedSpans();
      expect(spans.map((s) => s.name)).toEqual(
        expect.arrayContaining(['POST /v1/payments', 'db.transaction']),
      );
      expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(
        new Set(['4bf92f3577b34da6a3ce929d0e0e4736']),
      );
      const [job] = await api.database.sql`select trace_context from jobs where type = 'payment.process'`;
      expect(job!.trace_context.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    } finally {
      await tracing.shutdown();
      await api.close();
    }
  });
});
