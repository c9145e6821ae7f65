import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestDatabase } from '@payday/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemo } from './demo.js';

describe('ensureDemo (npm start seed)', () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let dir: string;
  beforeAll(async () => {
    t = await openTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'payday-demo-'));
  });
  afterAll(async () => {
    await t.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('seeds once with a balanced month of history, then reuses the saved credentials', async () => {
    const file = join(dir, 'demo.json');
    const first = await ensureDemo(t, file);
    expect(first.seeded).toBe(true);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      api_key: first.api_key,
      email: 'demo@payday.test',
    });
    const [counts] = await t.sql`select
      (select count(*)::int from payments) as payments,
      (select count(*)::int from payments where status = 'pending') as pending,
      (select count(*)::int from refunds) as refunds,
      (select count(distinct date_trunc('day', created_at))::int from payments) as days`;
    expect(counts).toMatchObject({ payments: 60, pending: 3 });
    expect(counts!.refunds).toBeGreaterThan(0);
    expect(counts!.days).toBeGreaterThan(20);
    const unbalanced = await t.sql`select transaction_id from ledger_entries group by transaction_id, currency
      having sum(case direction when 'debit' then amount else -amount end) <> 0`;
    expect(unbalanced).toEqual([]);
    const second = await ensureDemo(t, file);
    expect(second).toEqual({ ...first, seeded: false });
    const [merchants] = await t.sql`select count(*)::int as n from merchants`;
    expect(merchants!.n).toBe(1);
  });
});
