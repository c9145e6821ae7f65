import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgErrorOf } from './errors.js';
import { postLedgerTransaction } from './ledger/post.js';
import { completePayment } from './payments/complete.js';
import { insertMerchant, insertPayment, openTestDatabase } from './testing/fixtures.js';

/** The invariants the database enforces by itself, exercised with raw SQL that bypasses the app. */
describe('database invariants', () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let merchant: string;
  beforeAll(async () => {
    t = await openTestDatabase();
    merchant = await insertMerchant(t);
  });
  afterAll(async () => t.cleanup());

  async function succeededPayment(amount: number): Promise<string> {
    const id = await insertPayment(t, merchant, amount);
    await t.db.transaction((tx) => completePayment(tx, id, { status: 'succeeded' }));
    return id;
  }

  it('rejects UPDATE, DELETE and TRUNCATE on ledger_entries', async () => {
    await succeededPayment(500);
    await expect(t.sql`update ledger_entries set amount = amount + 1`).rejects.toThrow(
      /ledger_entries is append-only: UPDATE is not allowed/,
    );
    await expect(t.sql`delete from ledger_entries`).rejects.toThrow(/DELETE is not allowed/);
    await expect(t.sql`truncate ledger_entries cascade`).rejects.toThrow(/TRUNCATE is not allowed/);
    await expect(t.sql`delete from ledger_transactions`).rejects.toThrow(
      /ledger_transactions is append-only/,
    );
  });

  it('rejects an unbalanced transaction at commit, written with raw SQL', async () => {
    const before = await t.sql`select count(*)::int as n from ledger_entries`;
    const attempt = t.sql.begin(async (sql) => {
      const [acct] = await sql`select id from ledger_accounts where merchant_id = ${merchant} limit 1`;
      await sql`insert into ledger_transactions (id, merchant_id, key, description)
                values ('ltx_raw', ${merchant}, 'raw', 'raw')`;
      await sql`insert into ledger_entries (transaction_id, account_id, currency, direction, amount)
                values ('ltx_raw', ${acct!.id}, 'usd', 'debit', 100)`;
    });
    await expect(attempt).rejects.toThrow(
      /ledger transaction ltx_raw is unbalanced in usd: debits 100 <> credits 0/,
    );
    const after = await t.sql`select count(*)::int as n from ledger_entries`;
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('rejects a ledger transaction without entries', async () => {
    await expect(
      t.sql`insert into ledger_transactions (id, merchant_id, key, description) values ('ltx_empty', ${merchant}, 'empty', 'x')`,
    ).rejects.toThrow(/ledger transaction ltx_empty has no entries/);
  });

  it('rejects an entry whose currency differs from its account', async () => {
    const attempt = t.sql.begin(async (sql) => {
      const [acct] =
        await sql`select id from ledger_accounts where merchant_id = ${merchant} and currency = 'usd' limit 1`;
      await sql`insert into ledger_transactions (id, merchant_id, key, description) values ('ltx_cur', ${merchant}, 'cur', 'x')`;
      await sql`insert into ledger_entries (transaction_id, account_id, currency, direction, amount)
                values ('ltx_cur', ${acct!.id}, 'eur', 'debit', 100), ('ltx_cur', ${acct!.id}, 'eur', 'credit', 100)`;
    });
    await expect(attempt).rejects.toThrow(/ledger_entries_account_currency_fk/);
  });

  it('posting the same key twice is a no-op', async () => {
    const legs = [
      { account: 'merchant_pending', currency: 'usd', direction: 'debit', amount: 7 },
      { account: 'merchant_available', currency: 'usd', direction: 'credit', amount: 7 },
    ] as const;
    const post = () =>
      t.db.transaction((tx) =>
        postLedgerTransaction(tx, {
          merchantId: merchant,
          key: 'settle:1',
          description: 'x',
          legs: [...legs],
        }),
      );
    const a = await post();
    const b = await post();
    expect(a.created).toBe(true);
    expect(b).toEqual({ id: a.id, created: false });
  });

  it('never lets refunds exceed the captured amount, even written with raw SQL', async () => {
    const payment = await succeededPayment(1000);
    await t.sql`insert into refunds (id, merchant_id, payment_id, amount, currency) values ('re_a', ${merchant}, ${payment}, 600, 'usd')`;
    await expect(
      t.sql`insert into refunds (id, merchant_id, payment_id, amount, currency) values ('re_b', ${merchant}, ${payment}, 401, 'usd')`,
    ).rejects.toThrow(/payments_refunded_le_captured/);
    const [row] = await t.sql`select amount_refunded::int from payments where id = ${payment}`;
    expect(row!.amount_refunded).toBe(600);
    await expect(t.sql`update refunds set amount = 1 where id = 're_a'`).rejects.toThrow(
      /refunds is append-only/,
    );
  });

  it('refuses refunds of a pending payment or in another currency', async () => {
    const pending = await insertPayment(t, merchant, 1000);
    await expect(
      t.sql`insert into refunds (id, merchant_id, payment_id, amount, currency) values ('re_p', ${merchant}, ${pending}, 1, 'usd')`,
    ).rejects.toThrow(/is not a succeeded usd payment/);
    const paid = await succeededPayment(1000);
    await expect(
      t.sql`insert into refunds (id, merchant_id, payment_id, amount, currency) values ('re_c', ${merchant}, ${paid}, 10, 'eur')`,
    ).rejects.toThrow(/is not a succeeded eur payment/);
  });

  it('serialises concurrent refunds: together they never exceed the captured amount', async () => {
    const payment = await succeededPayment(1000);
    const results = await Promise.allSettled(
      Array.from(
        { length: 10 },
        (_, i) =>
          t.sql`insert into refunds (id, merchant_id, payment_id, amount, currency)
              values (${`re_cc${i}`}, ${merchant}, ${payment}, 300, 'usd')`,
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const [row] = await t.sql`select amount_refunded::int from payments where id = ${payment}`;
    expect(row!.amount_refunded).toBe(900);
  });

  it('allows one payment per (merchant, idempotency key)', async () => {
    const insert = () =>
      t.sql`insert into payments (id, merchant_id, amount, currency, payment_method, idempotency_key)
            values (${`pay_${Math.random()}`}, ${merchant}, 100, 'usd', 'pm_card_visa', 'k-1')`;
    await insert();
    await expect(insert()).rejects.toThrow(/payments_merchant_idempotency_key/);
  });

  it('rejects non-positive amounts and unknown currencies', async () => {
    const zero = await insertPayment(t, merchant, 0).then(() => undefined, pgErrorOf);
    expect(zero?.constraint_name).toBe('payments_amount_positive');
    const unknown = await insertPayment(t, merchant, 100, 'xxx').then(() => undefined, pgErrorOf);
    expect(unknown?.constraint_name).toBe('payments_currency_currencies_code_fk');
  });

  it('completing a payment twice posts one ledger transaction', async () => {
    const id = await insertPayment(t, merchant, 250);
    const first = await t.db.transaction((tx) => completePayment(tx, id, { status: 'succeeded' }));
    const again = await t.db.transaction((tx) =>
      completePayment(tx, id, { status: 'failed', failureCode: 'card_declined' }),
    );
    expect(first.changed).toBe(true);
    expect(again.changed).toBe(false);
    expect(again.payment?.status).toBe('succeeded');
    const [row] = await t.sql`select count(*)::int as n from ledger_transactions where payment_id = ${id}`;
    expect(row!.n).toBe(1);
  });
});
