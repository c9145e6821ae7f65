import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from './testing/harness.js';

/** A small deterministic PRNG (mulberry32) so a failing sequence can be replayed from its seed. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('ledger after a randomized sequence of payments and refunds', () => {
  let api: TestApi;
  let key: string;
  const seed = 20261121;
  const expected = new Map<string, { pending: number }>();
  beforeAll(async () => {
    api = await createTestApi();
    key = (await api.merchant()).apiKey.secret;
    const random = prng(seed);
    const succeeded: { id: string; currency: string; left: number }[] = [];
    for (let step = 0; step < 60; step++) {
      const roll = random();
      if (roll < 0.55 || succeeded.length === 0) {
        const currency = ['usd', 'eur', 'jpy', 'kwd'][Math.floor(random() * 4)]!;
        const amount = (1 + Math.floor(random() * 5000)) * 10;
        const { body } = await api.json('POST', '/v1/payments', { token: key, body: { amount, currency } });
        const outcome = random() < 0.8 ? 'succeeded' : 'failed';
        await api.settle(body.id, outcome);
        if (outcome === 'succeeded') {
          succeeded.push({ id: body.id, currency, left: amount });
          const e = expected.get(currency) ?? { pending: 0 };
          e.pending += amount;
          expected.set(currency, e);
        }
      } else {
        const p = succeeded[Math.floor(random() * succeeded.length)]!;
        const amount = 1 + Math.floor(random() * (p.left + 50)); // sometimes too much
        const res = await api.json('POST', '/v1/refunds', { token: key, body: { payment: p.id, amount } });
        if (amount <= p.left && p.left > 0) {
          expect(res.status, `seed ${seed} step ${step}`).toBe(200);
          p.left -= amount;
          expected.get(p.currency)!.pending -= amount;
        } else {
          expect(res.status, `seed ${seed} step ${step}`).toBe(400);
        }
      }
    }
  });
  afterAll(async () => api.close());

  it('every transaction balances per currency', async () => {
    const unbalanced = await api.database.sql`
      select transaction_id, currency
        from ledger_entries
       group by transaction_id, currency
      having sum(case direction when 'debit' then amount else -amount end) <> 0`;
    expect(unbalanced).toEqual([]);
    const [totals] = await api.database.sql`
      select count(distinct transaction_id)::int as txns,
             sum(case direction when 'debit' then amount else -amount end)::int as net
        from ledger_entries`;
    expect(totals!.txns).toBeGreaterThan(10);
    expect(totals!.net).toBe(0);
  });

  it('the balance endpoint equals the sum of the entries and the model of the sequence', async () => {
    const { body } = await api.json('GET', '/v1/balance', { token: key });
    const pending = Object.fromEntries(
      body.pending.map((b: { currency: string; amount: number }) => [b.currency, b.amount]),
    );
    expect(pending).toEqual(Object.fromEntries([...expected].map(([c, e]) => [c, e.pending])));
    const sums = await api.database.sql<{ currency: string; balance: number }[]>`
      select e.currency, sum(case e.direction when 'credit' then e.amount else -e.amount end)::int as balance
        from ledger_entries e join ledger_accounts a on a.id = e.account_id
       where a.kind = 'merchant_pending' group by e.currency`;
    expect(Object.fromEntries(sums.map((s) => [s.currency, s.balance]))).toEqual(pending);
    // Refunds in the model never exceeded captures, and the database agrees payment by payment.
    const [over] = await api.database
      .sql`select count(*)::int as n from payments where amount_refunded > amount_captured`;
    expect(over!.n).toBe(0);
  });

  it('rejects UPDATE and DELETE of ledger entries', async () => {
    await expect(api.database.sql`update ledger_entries set amount = 1`).rejects.toThrow(/append-only/);
    await expect(api.database.sql`delete from ledger_entries`).rejects.toThrow(/append-only/);
  });
});
