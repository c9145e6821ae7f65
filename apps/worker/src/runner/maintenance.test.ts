import { claimJobs, completeJobs, enqueue } from '@payday/db';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { createMetrics } from '../observability/metrics.js';
import { silentLog, useTestDatabase } from '../testing/fixtures.js';
import { Maintenance, settlementDate } from './maintenance.js';

const db = useTestDatabase();
const T0 = new Date('2026-11-21T00:05:00.000Z');

describe('Maintenance', () => {
  it('names the previous UTC day as the settlement date', () => {
    expect(settlementDate(new Date('2026-11-21T00:00:00Z'))).toBe('2026-11-20');
    expect(settlementDate(new Date('2026-03-01T23:59:59Z'))).toBe('2026-02-28');
  });

  it('rescues expired leases, refreshes depth, enqueues the day’s settlement once, prunes', async () => {
    const { sql } = db.current;
    await sql`truncate jobs`;
    const clock = new ManualClock(T0);
    const metrics = createMetrics('t');
    const m = new Maintenance({
      database: db.current,
      log: silentLog,
      metrics,
      clock,
      intervalMs: 1000,
      settlementEnabled: true,
      jobRetentionHours: 24,
      deadJobRetentionDays: 30,
    });
    await enqueue(db.current.db, {
      type: 'payment.process',
      payload: { payment_id: 'pay_a' },
      runAt: new Date(T0.getTime() - 1),
    });
    await enqueue(db.current.db, {
      type: 'payment.process',
      payload: { payment_id: 'pay_b' },
      runAt: new Date(T0.getTime() - 1),
    });
    const [crashed, done] = await claimJobs(sql, {
      type: 'payment.process',
      workerId: 'gone',
      limit: 2,
      leaseMs: 1000,
      now: T0,
    });
    await completeJobs(sql, [done!.id], { workerId: 'gone', now: new Date(T0.getTime() - 2 * 86_400_000) });

    clock.advance(5000);
    await m.tick();
    await m.tick();
    const rows = await sql`select id, type, status, unique_key from jobs order by id`;
    expect(rows).toEqual([
      { id: String(crashed!.id), type: 'payment.process', status: 'queued', unique_key: null },
      {
        id: expect.any(String),
        type: 'payout.settle',
        status: 'queued',
        unique_key: 'payout.settle:2026-11-20',
      },
    ]);
    expect(await metrics.registry.metrics()).toContain(
      'payday_queue_depth{type="payment.process",version="t"} 1',
    );
  });
});
