/**
 * Worker shutdown safety (invariant 6 of docs/design/apps.md §Invariants;
 * docs/design/apps.md §Graceful shutdown): 100 rounds in which a real worker process
 * (apps/worker/src/main.ts) is sent SIGKILL or SIGTERM at a random point while payments and
 * webhooks flow, with a second worker always running. Afterwards:
 *  - lost jobs: jobs not completed (or dead) once the queue drained — goal 0;
 *  - duplicate side effects: payments with more than one ledger posting or event of their
 *    outcome — goal 0 (webhook redeliveries are allowed and reported separately: receivers
 *    dedupe on the event id);
 *  - SIGTERM drain time ÷ the drain budget (terminationGracePeriodSeconds stand-in) — goal < 0.5.
 */
import { join } from 'node:path';
import { createDatabase, type Database, enqueue, migrateDatabase } from '@payday/db';
import { startEmbeddedPostgres, THROWAWAY_SETTINGS } from '@payday/db/embedded';
import * as schema from '@payday/db/schema';
import { freePort } from '@payday/db/testing';
import { startWebhookSink } from '@payday/worker';
import { spawnWorker } from '@payday/worker/testing';
import { absolute, type BenchSuite, type Measurement, stats } from '../harness.js';

const DRAIN_BUDGET_MS = 10_000;

function env(url: string, id: string): Record<string, string> {
  return {
    DATABASE_URL: url,
    WORKER_ID: id,
    WORKER_CONCURRENCY: '8',
    WORKER_BATCH_SIZE: '8',
    WORKER_POLL_INTERVAL_MS: '20',
    WORKER_LEASE_MS: '2000',
    WORKER_MAINTENANCE_INTERVAL_MS: '250',
    WORKER_DRAIN_TIMEOUT_MS: String(DRAIN_BUDGET_MS),
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    SETTLEMENT_ENABLED: 'false',
  };
}

async function addPayments(database: Database, merchantId: string, n: number): Promise<void> {
  await database.db.transaction(async (tx) => {
    const rows = await tx
      .insert(schema.payments)
      .values(
        Array.from({ length: n }, (_, i) => ({
          merchantId,
          amount: 100 + i,
          currency: 'usd',
          paymentMethod: i % 10 === 0 ? 'pm_card_processingErrorOnce' : 'pm_card_visa',
        })),
      )
      .returning({ id: schema.payments.id });
    for (const r of rows) await enqueue(tx, { type: 'payment.process', payload: { payment_id: r.id } });
  });
}

const suite: BenchSuite = {
  name: 'shutdown-worker',
  description: 'SIGKILL/SIGTERM of a worker process at random points: lost jobs and duplicate side effects',
  async run(ctx) {
    const rounds = ctx.quick ? 3 : 100;
    const perRound = ctx.quick ? 10 : 30;
    const pg = await startEmbeddedPostgres({
      dataDir: join(ctx.tmpDir, 'pg'),
      port: await freePort(),
      persistent: false,
      settings: THROWAWAY_SETTINGS,
    });
    const sink = await startWebhookSink({ respond: () => ({ status: 200, delayMs: 5 }) });
    const drainRatios: number[] = [];
    let sigkills = 0;
    let sigterms = 0;
    try {
      await migrateDatabase(pg.url);
      const database = createDatabase(pg.url, { max: 5 });
      try {
        const [m] = await database.db.insert(schema.merchants).values({ name: 'Bench' }).returning();
        await database.db
          .insert(schema.webhookEndpoints)
          .values({ merchantId: m!.id, url: `${sink.url}/hooks`, secret: 'whsec_bench' });
        const stable = spawnWorker(env(pg.url, 'stable'));
        await stable.started;
        try {
          for (let round = 0; round < rounds; round++) {
            const victim = spawnWorker(env(pg.url, `victim-${round}`));
            await victim.started;
            await addPayments(database, m!.id, perRound);
            await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 250)));
            if (Math.random() < 0.5) {
              sigkills++;
              victim.proc.kill('SIGKILL');
              await victim.exited;
            } else {
              sigterms++;
              const t0 = performance.now();
              victim.proc.kill('SIGTERM');
              const code = await victim.exited;
              if (code !== 0) throw new Error(`round ${round}: SIGTERM exit ${code}\n${victim.output()}`);
              drainRatios.push((performance.now() - t0) / DRAIN_BUDGET_MS);
            }
            if ((round + 1) % 10 === 0 || ctx.quick) ctx.progress(`round ${round + 1}/${rounds}`);
          }
          // Wait for the queue to drain (the stable worker and lease rescue finish everything).
          const deadline = Date.now() + 120_000;
          for (;;) {
            const [{ n }] = (await database.sql`
              select count(*)::int as n from jobs where status in ('queued', 'running')`) as unknown as [
              { n: number },
            ];
            if (n === 0) break;
            if (Date.now() > deadline) throw new Error(`${n} jobs still unfinished after 120 s`);
            await new Promise((r) => setTimeout(r, 250));
          }
        } finally {
          stable.proc.kill('SIGTERM');
          await stable.exited;
        }
        const total = rounds * perRound;
        const [counts] = (await database.sql`
          select
            (select count(*)::int from jobs where type = 'payment.process' and status = 'completed') as completed,
            (select count(*)::int from jobs where status = 'dead') as dead,
            (select count(*)::int from payments where status = 'pending') as pending,
            (select count(*)::int from (select payment_id from ledger_transactions group by payment_id having count(*) > 1) d) as double_posted,
            (select count(*)::int from (select object_id from events where type like 'payment.%' group by object_id having count(*) > 1) d) as double_events,
            (select count(*)::int from events) as events`) as unknown as [
          {
            completed: number;
            dead: number;
            pending: number;
            double_posted: number;
            double_events: number;
            events: number;
          },
        ];
        const delivered = new Set(sink.received.map((r) => r.eventId));
        const lost = total - counts.completed + counts.pending + (counts.events - delivered.size);
        const note = `${rounds} rounds (${sigkills} SIGKILL, ${sigterms} SIGTERM), ${total} payments, ${counts.events} events; ${counts.dead} dead jobs`;
        const out: Measurement[] = [
          absolute('shutdown-worker.lost-jobs', 'jobs', stats([lost]), { op: '<=', value: 0 }, note),
          absolute(
            'shutdown-worker.duplicate-side-effects',
            'payments',
            stats([counts.double_posted + counts.double_events]),
            { op: '<=', value: 0 },
            'payments posted to the ledger or announced more than once',
          ),
          absolute(
            'shutdown-worker.webhook-redeliveries',
            'deliveries',
            stats([sink.duplicates]),
            undefined,
            'at-least-once: receivers dedupe on the event id',
          ),
        ];
        if (drainRatios.length) {
          out.push(
            absolute(
              'shutdown-worker.drain-time-ratio',
              'of budget',
              stats(drainRatios),
              { op: '<=', value: 0.5 },
              `SIGTERM to exit ÷ ${DRAIN_BUDGET_MS} ms budget`,
            ),
          );
        }
        return out;
      } finally {
        await database.close();
      }
    } finally {
      await sink.close();
      await pg.stop();
    }
  },
};

export default suite;
