import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgErrorOf } from '../errors.js';
import { webhookEndpoints } from '../schema/events.js';
import { insertMerchant, openTestDatabase } from '../testing/fixtures.js';
import { notificationsOf } from '../testing/queue.js';
import { CREATE_PAYMENT, createPaymentValues } from './create.js';
import { CREATE_PAYMENTS, createPaymentsValues } from './create-many.js';

const TRACE = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

describe('CREATE_PAYMENTS', () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let a: string;
  let b: string;
  let endpointA: string;
  let endpointB: string;
  const counts = async () =>
    (
      await t.sql`select (select count(*) from payments)::int as p, (select count(*) from events)::int as e,
                         (select count(*) from jobs)::int as j`
    )[0];
  const claim = (merchantId: string, key: string) =>
    t.sql`insert into idempotency_keys (merchant_id, key, method, path, fingerprint)
          values (${merchantId}, ${key}, 'POST', '/v1/payments', 'f')`;

  beforeAll(async () => {
    t = await openTestDatabase();
    a = await insertMerchant(t, 'A');
    b = await insertMerchant(t, 'B');
    const endpoint = async (merchantId: string, url: string) =>
      (
        await t.db
          .insert(webhookEndpoints)
          .values({ merchantId, url, enabledEvents: ['payment.created'], secret: 'whsec_x' })
          .returning()
      )[0]!.id;
    endpointA = await endpoint(a, 'https://a.test/hooks');
    endpointB = await endpoint(b, 'https://b.test/hooks');
  });
  afterAll(async () => t.cleanup());

  it('writes every payment of a group with the rows CREATE_PAYMENT writes for each, in one transaction', async () => {
    await claim(b, 'kb');
    const one = createPaymentValues({
      merchantId: a,
      amount: 2500,
      currency: 'usd',
      description: 'quote " backslash \\ comma , brace { } null NULL',
      metadata: { order: '7' },
      traceContext: TRACE,
    });
    const two = createPaymentValues({ merchantId: b, amount: 99, currency: 'jpy', idempotencyKey: 'kb' });
    const group = [
      one.values,
      { ...two.values, idempotencyKey: 'kb', responseStatus: 200, responseBody: '{"exact":"bytes"}' },
    ];
    await CREATE_PAYMENTS.execute(t.db, createPaymentsValues(group));

    const written = await t.sql`select *, xmin::text as tx from payments order by amount desc`;
    expect(written.map((p) => p.id)).toEqual([one.row.id, two.row.id]);
    expect(written[0]).toMatchObject({
      merchant_id: a,
      amount: '2500', // bigint, as postgres.js returns it
      currency: 'usd',
      status: 'pending',
      description: 'quote " backslash \\ comma , brace { } null NULL',
      metadata: { order: '7' },
      customer_reference: null,
      payment_method: 'pm_card_visa',
      idempotency_key: null,
    });
    expect(written[1]).toMatchObject({
      merchant_id: b,
      amount: '99',
      currency: 'jpy',
      idempotency_key: 'kb',
    });
    expect(new Date(written[0]!.created_at)).toEqual(one.row.createdAt);
    // One statement, one transaction: both rows carry the same inserting transaction id.
    expect(written[0]!.tx).toBe(written[1]!.tx);

    const events =
      await t.sql`select id, merchant_id, object_id, data from events order by merchant_id = ${a} desc`;
    expect(events.map((e) => [e.id, e.merchant_id, e.object_id])).toEqual([
      [one.values.eventId, a, one.row.id],
      [two.values.eventId, b, two.row.id],
    ]);
    expect(events[0]!.data).toEqual(JSON.parse(one.values.eventData));

    const jobs =
      await t.sql`select type, payload, unique_key, trace_context from jobs order by type, unique_key`;
    const expected = [
      { type: 'payment.process', payload: { payment_id: one.row.id }, trace_context: TRACE },
      { type: 'payment.process', payload: { payment_id: two.row.id }, trace_context: null },
      // Tenant isolation: each event reaches its own merchant's endpoint only.
      {
        type: 'webhook.deliver',
        payload: { event_id: one.values.eventId, endpoint_id: endpointA },
        trace_context: TRACE,
      },
      {
        type: 'webhook.deliver',
        payload: { event_id: two.values.eventId, endpoint_id: endpointB },
        trace_context: null,
      },
    ];
    expect(jobs.map(({ type, payload, trace_context }) => ({ type, payload, trace_context }))).toEqual(
      expect.arrayContaining(expected),
    );
    expect(jobs).toHaveLength(4);

    const keys =
      await t.sql`select merchant_id, key, status, response_status, response_body from idempotency_keys`;
    expect(keys.map((k) => ({ ...k }))).toEqual([
      {
        merchant_id: b,
        key: 'kb',
        status: 'completed',
        response_status: 200,
        response_body: '{"exact":"bytes"}',
      },
    ]);
  });

  it('carries every text value through the arrays unchanged: empty, NULL-like, quotes, backslashes, separators, unicode', async () => {
    const descriptions = [
      '',
      'NULL',
      'null',
      null,
      '\\"',
      '"',
      '\\',
      ' padded ',
      'a,b',
      '{x}',
      '😀 é ß',
      "it's",
    ];
    const group = descriptions.map(
      (description, i) =>
        createPaymentValues({
          merchantId: i % 2 ? a : b,
          amount: 99_999_999 - i,
          currency: 'usd',
          ...(description === null ? {} : { description }),
          metadata: { [`k"\\${i}`]: description ?? 'none', '😀': '{"a":[1]}' },
          customerReference: description === null ? undefined : `c${description}`,
        }).values,
    );
    await CREATE_PAYMENTS.execute(t.db, createPaymentsValues(group));
    const ids = group.map((v) => v.id);
    const rows = await t.sql`select id, merchant_id, amount, description, metadata, customer_reference
                               from payments where id = any(${ids})`;
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const [i, v] of group.entries()) {
      expect({ ...byId.get(v.id) }).toEqual({
        id: v.id,
        merchant_id: v.merchantId,
        amount: String(v.amount),
        description: descriptions[i],
        metadata: JSON.parse(v.metadata),
        customer_reference: v.customerReference,
      });
    }
  });

  it('stores a response only on its own merchant’s key', async () => {
    // Merchant A has a claim named like B's payment key; B's row must not complete it.
    await claim(a, 'shared');
    await claim(b, 'shared');
    const { values } = createPaymentValues({
      merchantId: b,
      amount: 5,
      currency: 'usd',
      idempotencyKey: 'shared',
    });
    await CREATE_PAYMENTS.execute(
      t.db,
      createPaymentsValues([
        { ...values, idempotencyKey: 'shared', responseStatus: 200, responseBody: '{}' },
        createPaymentValues({ merchantId: a, amount: 6, currency: 'usd' }).values,
      ]),
    );
    const keys = await t.sql`select merchant_id, status from idempotency_keys where key = 'shared'`;
    expect(Object.fromEntries(keys.map((k) => [k.merchant_id, k.status]))).toEqual({
      [a]: 'in_flight',
      [b]: 'completed',
    });
  });

  it('wakes the workers once per job type for the whole group', async () => {
    const seen = await notificationsOf(t.sql, async () => {
      const group = [a, b, a, b, a].map(
        (merchantId, i) => createPaymentValues({ merchantId, amount: 10 + i, currency: 'usd' }).values,
      );
      await CREATE_PAYMENTS.execute(t.db, createPaymentsValues(group));
    });
    expect(seen).toEqual(['payment.process', 'webhook.deliver']);
  });

  it('is atomic: one row reusing a payment’s key fails the statement with that row’s error and writes nothing', async () => {
    const before = await counts();
    const good = createPaymentValues({ merchantId: a, amount: 100, currency: 'usd' });
    const reused = createPaymentValues({ merchantId: b, amount: 100, currency: 'usd', idempotencyKey: 'kb' });
    const error = await CREATE_PAYMENTS.execute(
      t.db,
      createPaymentsValues([good.values, reused.values]),
    ).catch((e: unknown) => e);
    expect(pgErrorOf(error)?.constraint_name).toBe('payments_merchant_idempotency_key');
    expect(await counts()).toEqual(before);
    // The good row alone, as the API retries it, succeeds.
    await CREATE_PAYMENT.execute(t.db, good.values);
    expect((await counts())!.p).toBe(before!.p + 1);
  });
});
