import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../testing/fixtures.js';
import { enqueue } from './enqueue.js';

describe('enqueue', () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(async () => t.cleanup());

  it('inserts a queued job with its payload and trace context', async () => {
    const job = await enqueue(t.db, {
      type: 'payment.process',
      payload: { payment_id: 'pay_1' },
      traceContext: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    });
    const [row] = await t.sql`select * from jobs where id = ${job!.id}`;
    expect(row).toMatchObject({
      type: 'payment.process',
      payload: { payment_id: 'pay_1' },
      status: 'queued',
      attempts: 0,
      max_attempts: 10,
      trace_context: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    });
  });

  it('a duplicate unique key is a no-op, and rolls back with its transaction', async () => {
    const first = await enqueue(t.db, {
      type: 'payout.settle',
      payload: { date: '2026-11-20' },
      uniqueKey: 'settle:2026-11-20',
    });
    const second = await enqueue(t.db, {
      type: 'payout.settle',
      payload: { date: '2026-11-20' },
      uniqueKey: 'settle:2026-11-20',
    });
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    await expect(
      t.db.transaction(async (tx) => {
        await enqueue(tx, {
          type: 'payout.settle',
          payload: { date: '2026-11-21' },
          uniqueKey: 'settle:2026-11-21',
        });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const [row] = await t.sql`select count(*)::int as n from jobs where unique_key = 'settle:2026-11-21'`;
    expect(row!.n).toBe(0);
  });
});
