/**
 * Invariant 6 of docs/design/apps.md §Invariants: every enqueued job ends completed or dead,
 * whatever happens to the workers. Two real worker processes (main.ts) drain the queue while one of
 * them is SIGKILLed at random points and restarted, over several rounds. Side effects must not
 * double: each payment posts exactly one ledger transaction; webhooks may repeat, never go missing.
 * (The 100-round version with timings lives in bench/suites/shutdown-worker.ts.)
 */
import * as schema from '@payday/db/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookSink, type WebhookSink } from './sink/webhook-sink.js';
import { spawnWorker } from './testing/child-worker.js';
import {
  createMerchant,
  createPendingPayment,
  unbalancedTransactions,
  useTestDatabase,
} from './testing/fixtures.js';

const db = useTestDatabase();
let sink: WebhookSink;
beforeAll(async () => {
  // A receiver that takes a little time, so kills land while deliveries are in flight.
  sink = await startWebhookSink({ respond: () => ({ status: 200, delayMs: 10 }) });
});
afterAll(() => sink.close());

const ROUNDS = 3;
const PAYMENTS_PER_ROUND = 40;
const KILLS_PER_ROUND = 2;

function env(id: string): Record<string, string> {
  return {
    DATABASE_URL: db.current.test.url,
    WORKER_ID: id,
    WORKER_CONCURRENCY: '4',
    WORKER_BATCH_SIZE: '4',
    WORKER_POLL_INTERVAL_MS: '20',
    // Short leases so a killed worker's jobs come back within the test.
    WORKER_LEASE_MS: '1000',
    WORKER_MAINTENANCE_INTERVAL_MS: '200',
    WORKER_DRAIN_TIMEOUT_MS: '5000',
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_TIMEOUT_MS: '2000',
    SETTLEMENT_ENABLED: 'false',
  };
}

const unfinished = async () =>
  (await db.current.sql`select count(*)::int as n from jobs where status in ('queued', 'running')`)[0]!
    .n as number;

describe('no lost job under SIGKILL', () => {
  it(`every job ends completed across ${ROUNDS} rounds of random kills; no payment posts twice`, async () => {
    const merchant = await createMerchant(db.current);
    await db.current.db
      .insert(schema.webhookEndpoints)
      .values({ merchantId: merchant, url: `${sink.url}/hooks`, secret: 'whsec_t' });
    const stable = spawnWorker(env('stable'));
    await stable.started;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        // Victims start first (startup dominates the test's time), then the work arrives while
        // they run, and each dies at a random point: mid-claim, mid-transaction, mid-HTTP or idle.
        const victims = Array.from({ length: KILLS_PER_ROUND }, (_, k) =>
          spawnWorker(env(`victim-${round}-${k}`)),
        );
        await Promise.all(victims.map((v) => v.started));
        const kills = victims.map(async (victim) => {
          await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 400)));
          victim.proc.kill('SIGKILL');
          return victim.exited;
        });
        for (let i = 0; i < PAYMENTS_PER_ROUND; i++) {
          await createPendingPayment(db.current, merchant, { amount: 100 + i });
        }
        expect(await Promise.all(kills)).toEqual(victims.map(() => 'SIGKILL'));
        await expect
          .poll(unfinished, { timeout: 30_000, interval: 200 })
          .toBe(0)
          .catch((e) => {
            console.log(stable.output().slice(-3000));
            throw e;
          });
      }
    } finally {
      stable.proc.kill('SIGTERM');
      expect(await stable.exited).toBe(0);
    }

    const jobs = await db.current
      .sql`select type, status, count(*)::int as n from jobs group by type, status order by type, status`;
    const total = ROUNDS * PAYMENTS_PER_ROUND;
    // Every payment job and every webhook job completed: none lost, none dead.
    expect(jobs).toEqual([
      { type: 'payment.process', status: 'completed', n: total },
      { type: 'webhook.deliver', status: 'completed', n: total },
    ]);
    const postings = await db.current.sql`
      select count(*)::int as n, count(distinct payment_id)::int as distinct_payments from ledger_transactions`;
    expect(postings[0]).toEqual({ n: total, distinct_payments: total });
    expect(await unbalancedTransactions(db.current)).toEqual([]);
    // At-least-once: every event reached the receiver (duplicates allowed, deduped by event id).
    const eventIds = (await db.current.sql`select id from events`).map((e) => e.id as string);
    const delivered = new Set(sink.received.filter((r) => r.status === 200).map((r) => r.eventId));
    expect(eventIds.filter((id) => !delivered.has(id))).toEqual([]);
  }, 120_000);
});
