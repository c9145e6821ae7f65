/**
 * The whole product loop on loopback: the real API and the real worker in this process, the
 * simulator creating traffic through the typed client, and the local sink receiving webhooks
 * whose signatures verify with the published helper.
 */

import { createMerchant, loadEnv, start as startApi } from '@payday/api';
import { createPaydayClient } from '@payday/api/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { startWebhookSink, type WebhookSink } from '../sink/webhook-sink.js';
import { type RunningWorker, start as startWorker } from '../start.js';
import { silentLog, useTestDatabase } from '../testing/fixtures.js';
import { simulateTraffic } from './traffic.js';

const db = useTestDatabase();
let api: Awaited<ReturnType<typeof startApi>>;
let worker: RunningWorker;
let sink: WebhookSink;
let secret: string | undefined;

beforeAll(async () => {
  api = await startApi({
    env: loadEnv({
      DATABASE_URL: db.current.test.url,
      API_PORT: '0',
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_SECOND: '0',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    }),
    database: db.current,
  });
  worker = await startWorker(
    loadConfig({
      DATABASE_URL: db.current.test.url,
      WORKER_PORT: '0',
      WORKER_POLL_INTERVAL_MS: '20',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      SETTLEMENT_ENABLED: 'false',
    }),
    { log: silentLog },
  );
  sink = await startWebhookSink({ secrets: () => (secret ? [secret] : []) });
});
afterAll(async () => {
  await worker?.close();
  await api?.close();
  await sink?.close();
});

describe('simulateTraffic', () => {
  it('creates payments that the worker moves on, refunds some, and webhooks arrive signed', async () => {
    const merchant = await createMerchant(db.current, { name: 'Simulated shop' });
    const client = createPaydayClient({ baseUrl: api.url, token: merchant.apiKey.secret });
    let r = 0;
    // A fixed pseudo-random sequence: the same mix every run.
    const random = () => {
      r = (r * 9301 + 49297) % 233280;
      return r / 233280;
    };
    const summary = await simulateTraffic({
      client,
      count: 12,
      durationMs: 20_000,
      ratePerSecond: 100,
      webhookUrl: `${sink.url}/hooks`,
      refundShare: 0.5,
      random,
      onWebhookEndpoint: (e) => {
        secret = e.secret;
      },
    });
    expect(summary.errors).toEqual([]);
    expect(summary.payments).toBe(12);
    expect(summary.pending).toBe(0);
    expect(summary.succeeded + summary.failed).toBe(12);
    expect(summary.succeeded).toBeGreaterThan(0);
    expect(summary.refunds).toBeGreaterThan(0);
    // One payment.succeeded/failed event per payment (plus payment.created and refund events).
    await expect
      .poll(
        () =>
          sink.received.filter((w) => w.eventType === 'payment.succeeded' || w.eventType === 'payment.failed')
            .length,
        {
          timeout: 15_000,
        },
      )
      .toBe(12);
    expect(sink.received.every((w) => w.verified === true)).toBe(true);
  }, 60_000);
});
