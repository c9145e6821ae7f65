import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { emitEvent } from '@payday/db';
import * as schema from '@payday/db/schema';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentProcessHandler } from '../jobs/payment-process.js';
import { createWebhookDeliverHandler } from '../jobs/webhook-deliver.js';
import { createMerchant, createPendingPayment, silentLog, useTestDatabase } from '../testing/fixtures.js';
import { JobRunner } from './runner.js';

const db = useTestDatabase();

/** A receiver that holds every request open until `release()`: the slowest possible merchant. */
function slowReceiver() {
  const held: ServerResponse[] = [];
  let released = false;
  let answered = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      if (released) {
        answered++;
        res.end('ok');
      } else held.push(res);
    });
  });
  return {
    server,
    get open() {
      return held.length;
    },
    get answered() {
      return answered;
    },
    release() {
      released = true;
      for (const res of held.splice(0)) {
        answered++;
        res.end('ok');
      }
    },
  };
}

let receiver: ReturnType<typeof slowReceiver>;
let url: string;
beforeAll(async () => {
  receiver = slowReceiver();
  await new Promise<void>((r) => receiver.server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  receiver.release();
  await new Promise((r) => receiver.server.close(r));
});

describe('concurrency per job type', () => {
  it('processes payments while a slow receiver holds every webhook slot', async () => {
    const { current } = db;
    const merchantId = await createMerchant(current);
    await current.db.insert(schema.webhookEndpoints).values({ merchantId, url, secret: 'whsec_slow' });
    for (let i = 0; i < 6; i++) {
      await current.db.transaction((tx) =>
        emitEvent(tx, { merchantId, type: 'payment.succeeded', objectId: `pay_${i}`, data: { object: {} } }),
      );
    }
    const runner = new JobRunner({
      database: current,
      handlers: [
        paymentProcessHandler,
        createWebhookDeliverHandler({ timeoutMs: 60_000, allowPrivateTargets: true }),
      ],
      workerId: 'lanes',
      concurrency: 10,
      typeConcurrency: { 'webhook.deliver': 2 },
      batchSize: 10,
      pollIntervalMs: 20,
      leaseMs: 60_000,
      log: silentLog,
    });
    runner.start();
    try {
      // Both webhook slots are taken by requests the receiver will not answer.
      await expect.poll(() => receiver.open, { timeout: 10_000 }).toBe(2);

      const payments = await Promise.all(
        Array.from({ length: 5 }, () => createPendingPayment(current, merchantId)),
      );
      const ids = payments.map((p) => p.paymentId);
      await expect
        .poll(
          async () =>
            (
              await current.db
                .select({ status: schema.payments.status })
                .from(schema.payments)
                .where(inArray(schema.payments.id, ids))
            ).filter((p) => p.status !== 'pending').length,
          { timeout: 10_000 },
        )
        .toBe(5);
      // Every payment was processed while the webhook lane stayed full and nothing was answered.
      expect(receiver.open).toBe(2);
      expect(receiver.answered).toBe(0);
      expect(runner.laneStats()['webhook.deliver']).toMatchObject({ slots: 2, busy: 2 });
      const [done] = await current.sql`
        select count(*)::int as n from jobs where type = 'payment.process' and status = 'completed'`;
      expect(done!.n).toBe(5);

      receiver.release();
      await expect
        .poll(
          async () =>
            (
              await current.sql`select count(*)::int as n from jobs
                 where type = 'webhook.deliver' and status <> 'completed'`
            )[0]!.n,
          { timeout: 10_000 },
        )
        .toBe(0);
    } finally {
      await runner.stop(1000);
    }
  });
});
