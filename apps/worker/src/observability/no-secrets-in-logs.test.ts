import { Writable } from 'node:stream';
import { enqueue } from '@payday/db';
import * as schema from '@payday/db/schema';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { WEBHOOK_BACKOFF, webhookDeliverPayload } from '../jobs/webhook-deliver.js';
import { defineHandler, type JobHandler } from '../runner/handler.js';
import { JobRunner } from '../runner/runner.js';
import { createMerchant, jobRow, useTestDatabase } from '../testing/fixtures.js';
import { createLogger } from './logger.js';

/**
 * Seeds a webhook signing secret and an API key into failing `webhook.deliver` jobs, runs them
 * through the real runner and logger, and searches every line. Before the worker shared the
 * API's redaction, a failed insert logged its bound values (the endpoint's `whsec_…` secret)
 * on the retry and dead-letter lines, and an error's message reached the log verbatim.
 */
describe('worker logs cannot leak secrets or query values', () => {
  const db = useTestDatabase();
  const T0 = new Date('2026-11-21T06:00:00.000Z');
  const signingSecret = 'whsec_bGVhay1wcm9iZS1zaWduaW5nLXNlY3JldC05OTcz';
  const apiKey = 'sk_test_2t5j185c9bq3m8zt7krhmr7zq5yj1ax3ne4688nn';
  const lines: string[] = [];
  const log = createLogger({
    level: 'trace',
    workerId: 'leak-test',
    version: 'test',
    destination: new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    }),
  });
  let endpointId: string;

  /** The endpoint a delivery job reads: its secret, and a receiver URL carrying the merchant's key. */
  const loadEndpoint = async (id: string) => {
    const [endpoint] = await db.current.db
      .select()
      .from(schema.webhookEndpoints)
      .where(eq(schema.webhookEndpoints.id, id));
    return endpoint!;
  };

  /** A delivery whose bookkeeping insert fails in PostgreSQL with the endpoint's values bound. */
  const failingInsert = defineHandler({
    type: 'webhook.deliver',
    payload: webhookDeliverPayload,
    backoff: WEBHOOK_BACKOFF,
    async run({ endpoint_id }) {
      const endpoint = await loadEndpoint(endpoint_id);
      await db.current.db.insert(schema.webhookEndpoints).values({
        merchantId: endpoint.merchantId,
        url: `${endpoint.url}&copy=1`,
        secret: endpoint.secret,
        description: `copy of ${endpoint_id}`,
      });
    },
  });

  /** A delivery whose error names the secret and the key, as a careless client error would. */
  const throwing = defineHandler({
    type: 'webhook.deliver',
    payload: webhookDeliverPayload,
    backoff: WEBHOOK_BACKOFF,
    async run({ endpoint_id }) {
      const endpoint = await loadEndpoint(endpoint_id);
      throw new Error(`receiver ${endpoint.url} rejected the signature made with ${endpoint.secret}`);
    },
  });

  const runOnce = (handler: JobHandler<unknown>) =>
    new JobRunner({
      database: db.current,
      handlers: [handler],
      workerId: 'leak-test',
      concurrency: 1,
      batchSize: 1,
      pollIntervalMs: 20,
      leaseMs: 30_000,
      log,
      clock: new ManualClock(T0),
      random: () => 0.5,
    }).runOnce();

  const deliveryJob = (maxAttempts: number) =>
    db.current.db.transaction(async (tx) => {
      const job = await enqueue(tx, {
        type: 'webhook.deliver',
        payload: { event_id: 'evt_leakprobe', endpoint_id: endpointId },
        runAt: T0,
        maxAttempts,
      });
      return job!.id;
    });

  beforeAll(async () => {
    const merchantId = await createMerchant(db.current);
    const [endpoint] = await db.current.db
      .insert(schema.webhookEndpoints)
      .values({ merchantId, url: `https://shop.example/hooks?key=${apiKey}`, secret: signingSecret })
      .returning();
    endpointId = endpoint!.id;
    // A failure PostgreSQL reports with the whole row in `detail`, as any unforeseen constraint would.
    await db.current
      .sql`alter table webhook_endpoints add constraint leak_probe check (url not like '%copy%')`;
  });

  it('a failed insert is retried, then dead-lettered, and both lines keep only the query', async () => {
    const retried = await deliveryJob(2);
    await runOnce(failingInsert);
    expect((await jobRow(db.current, retried)).status).toBe('queued');
    await db.current.sql`update jobs set run_at = ${T0.toISOString()} where id = ${retried}`;
    await runOnce(failingInsert);
    expect((await jobRow(db.current, retried)).status).toBe('dead');

    const parsed = lines.map((l) => JSON.parse(l));
    const retry = parsed.find((l) => l.msg === 'job failed; will retry' && l.job_id === retried);
    expect(retry.err).toMatch(/^Failed query: insert into "webhook_endpoints" .*\nparams: \[redacted\]$/s);
    const dead = parsed.find((l) => l.msg === 'job dead-lettered' && l.job_id === retried);
    expect(dead.reason).toMatch(/^gave up after 2 attempts: Failed query: .*\nparams: \[redacted\]$/s);
  });

  it('an error object is logged with its SQLSTATE and constraint but without its values', async () => {
    const err = await db.current.db
      .insert(schema.webhookEndpoints)
      .values({
        merchantId: await createMerchant(db.current),
        url: `https://x/copy?k=${apiKey}`,
        secret: signingSecret,
      })
      .catch((e: unknown) => e);
    log.error({ err, job_error: String(err) }, 'recording the failure failed; the lease will expire');
    const line = JSON.parse(lines.at(-1)!);
    expect(line.err.cause).toMatchObject({
      code: '23514',
      constraint_name: 'leak_probe',
      table_name: 'webhook_endpoints',
    });
    expect(line.err.message).toMatch(/\nparams: \[redacted\]$/);
    expect(line.err.cause.detail).toBeUndefined();
  });

  it('an error message naming the secret is logged with the secret replaced', async () => {
    const dead = await deliveryJob(1);
    await runOnce(throwing);
    const line = lines
      .map((l) => JSON.parse(l))
      .find((l) => l.msg === 'job dead-lettered' && l.job_id === dead);
    expect(line.reason).toBe(
      `gave up after 1 attempts: receiver https://shop.example/hooks?key=${apiKey.slice(0, 16)}… rejected the signature made with whsec_[redacted]`,
    );
  });

  it('no line holds the secret, the key, or a quoted row', () => {
    expect(lines).toHaveLength(4);
    const text = lines.join('\n');
    for (const secret of [signingSecret, signingSecret.slice(6), apiKey, apiKey.slice(16)]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/whsec_(?!\[redacted\])/);
    expect(text).not.toMatch(/sk_test_[0-9a-z]{9}/);
    expect(text).not.toContain('Failing row contains (');
  });
});
