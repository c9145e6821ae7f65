import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const url = 'postgres://u:p@127.0.0.1:5433/payday';

describe('loadConfig', () => {
  it('applies documented defaults', () => {
    const c = loadConfig({ DATABASE_URL: url });
    expect(c).toMatchObject({
      databaseUrl: url,
      port: 3002,
      host: '127.0.0.1',
      concurrency: 10,
      typeConcurrency: {},
      listen: true,
      batchSize: 10,
      prefetch: 0,
      leaseMs: 60_000,
      webhookTimeoutMs: 10_000,
      allowPrivateWebhookTargets: false,
      version: 'dev',
    });
    expect(c.otlpEndpoint).toBeUndefined();
  });

  it('reads overrides, including booleans written as text', () => {
    const c = loadConfig({
      DATABASE_URL: url,
      WORKER_CONCURRENCY: '32',
      WORKER_BATCH_SIZE: '100',
      WORKER_TYPE_CONCURRENCY: 'webhook.deliver=20, payout.settle=1',
      WORKER_LISTEN: 'false',
      WORKER_HOST: '0.0.0.0',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      APP_VERSION: '1.4.2',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
    });
    expect(c).toMatchObject({
      concurrency: 32,
      typeConcurrency: { 'webhook.deliver': 20, 'payout.settle': 1 },
      listen: false,
      batchSize: 100,
      host: '0.0.0.0',
      allowPrivateWebhookTargets: true,
      version: '1.4.2',
      otlpEndpoint: 'http://otel-collector:4318',
    });
  });

  it('names every bad variable', () => {
    let err: unknown;
    try {
      loadConfig({
        DATABASE_URL: 'mysql://x',
        WORKER_CONCURRENCY: '0',
        WORKER_TYPE_CONCURRENCY: 'webhook.deliver=0',
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'maybe',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toContain('DATABASE_URL: must be a postgres:// URL');
    expect(message).toContain('WORKER_CONCURRENCY:');
    expect(message).toContain(
      'WORKER_TYPE_CONCURRENCY: "webhook.deliver=0" is not type=slots with slots 1..1000',
    );
    expect(message).toContain('WEBHOOK_ALLOW_PRIVATE_TARGETS:');
  });

  it('refuses a WORKER_TYPE_CONCURRENCY type the worker does not run', () => {
    expect(() =>
      loadConfig({
        DATABASE_URL: 'postgres://x/y',
        WORKER_TYPE_CONCURRENCY: 'webhook.deliver=2,webhooks.deliver=20',
      }),
    ).toThrow(
      'WORKER_TYPE_CONCURRENCY: "webhooks.deliver" is not a job type this worker runs (payment.process, webhook.deliver, payout.settle)',
    );
  });

  it('requires DATABASE_URL', () => {
    expect(() => loadConfig({})).toThrow(/DATABASE_URL/);
  });
});
