/**
 * SIGTERM drain of the real entrypoint (docs/design/apps.md §Graceful shutdown): /readyz turns 503,
 * no new claims, in-flight jobs finish within WORKER_DRAIN_TIMEOUT_MS or go back to the queue with
 * their attempt returned, nothing stays leased, and the process exits 0.
 */
import { emitEvent } from '@payday/db';
import * as schema from '@payday/db/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookSink, type WebhookSink } from './sink/webhook-sink.js';
import { spawnWorker } from './testing/child-worker.js';
import { createMerchant, useTestDatabase } from './testing/fixtures.js';

const db = useTestDatabase();
let sink: WebhookSink;
beforeAll(async () => {
  // Slow enough that a delivery is surely in flight when SIGTERM arrives.
  sink = await startWebhookSink({ respond: () => ({ status: 200, delayMs: 1500 }) });
});
afterAll(() => sink.close());

function env(id: string, drainMs: number): Record<string, string> {
  return {
    DATABASE_URL: db.current.test.url,
    WORKER_ID: id,
    WORKER_CONCURRENCY: '2',
    WORKER_BATCH_SIZE: '2',
    WORKER_POLL_INTERVAL_MS: '20',
    WORKER_DRAIN_TIMEOUT_MS: String(drainMs),
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    SETTLEMENT_ENABLED: 'false',
  };
}

async function webhookJobs(count: number): Promise<void> {
  const merchantId = await createMerchant(db.current);
  await db.current.db
    .insert(schema.webhookEndpoints)
    .values({ merchantId, url: `${sink.url}/slow`, secret: 'whsec_d' });
  for (let i = 0; i < count; i++) {
    await db.current.db.transaction((tx) =>
      emitEvent(tx, { merchantId, type: 'payment.succeeded', objectId: `pay_${i}`, data: { object: { i } } }),
    );
  }
}

const jobs = async (workerId: string) => ({
  held: (await db.current.sql`select count(*)::int as n from jobs where locked_by = ${workerId}`)[0]!.n,
  byStatus: await db.current
    .sql`select status, attempts, count(*)::int as n from jobs group by 1, 2 order by 1, 2`,
});

function portOf(output: string): number {
  const line = output.split('\n').find((l) => l.includes('"msg":"worker started"'))!;
  return (JSON.parse(line) as { port: number }).port;
}

describe('SIGTERM drain', () => {
  it('releases in-flight jobs when the budget runs out, and exits 0', async () => {
    await db.current.sql`truncate jobs`;
    await webhookJobs(4);
    const before = sink.received.length;
    const worker = spawnWorker(env('drain-short', 200));
    await worker.started;
    await expect.poll(() => sink.received.length, { timeout: 20_000, interval: 20 }).toBeGreaterThan(before);
    worker.proc.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('"msg":"released unfinished jobs to the queue"');
    const after = await jobs('drain-short');
    expect(after.held).toBe(0);
    // Nothing completed (the receiver was still answering); all four are queued with no attempt used.
    expect(after.byStatus).toEqual([{ status: 'queued', attempts: 0, n: 4 }]);
  });

  it('finishes in-flight jobs within the budget, reports not-ready meanwhile, and exits 0', async () => {
    await db.current.sql`truncate jobs`;
    await webhookJobs(1);
    const before = sink.received.length;
    const worker = spawnWorker(env('drain-long', 20_000));
    await worker.started;
    const port = portOf(worker.output());
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    await expect.poll(() => sink.received.length, { timeout: 20_000, interval: 20 }).toBeGreaterThan(before);
    worker.proc.kill('SIGTERM');
    await expect
      .poll(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status, { interval: 20 })
      .toBe(503);
    expect(await worker.exited).toBe(0);
    const after = await jobs('drain-long');
    expect(after.held).toBe(0);
    expect(after.byStatus).toEqual([{ status: 'completed', attempts: 1, n: 1 }]);
  });
});
