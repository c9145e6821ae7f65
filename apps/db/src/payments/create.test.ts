import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgErrorOf } from '../errors.js';
import { webhookEndpoints } from '../schema/events.js';
import { insertMerchant, openTestDatabase } from '../testing/fixtures.js';
import { CREATE_PAYMENT, CREATE_PAYMENT_STORING_RESPONSE, createPaymentValues } from './create.js';

const TRACE = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

describe('CREATE_PAYMENT', () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let merchantId: string;
  let endpointId: string;
  beforeAll(async () => {
    t = await openTestDatabase();
    merchantId = await insertMerchant(t);
    const [endpoint] = await t.db
      .insert(webhookEndpoints)
      .values({
        merchantId,
        url: 'https://example.test/hooks',
        enabledEvents: ['payment.created'],
        secret: 'whsec_x',
      })
      .returning();
    endpointId = endpoint!.id;
    // Another merchant's endpoint and a disabled one get no delivery.
    await t.db.insert(webhookEndpoints).values({
      merchantId: await insertMerchant(t, 'Other'),
      url: 'https://other.test/',
      secret: 'whsec_y',
    });
    await t.db
      .insert(webhookEndpoints)
      .values({ merchantId, url: 'https://off.test/', enabled: false, secret: 'whsec_z' });
  });
  afterAll(async () => t.cleanup());

  it('writes the payment, its event, the fan-out and the processing job in one statement', async () => {
    const { row, values } = createPaymentValues({
      merchantId,
      amount: 2500,
      currency: 'usd',
      metadata: { order: '7' },
      idempotencyKey: 'k1',
      traceContext: TRACE,
    });
    await CREATE_PAYMENT.execute(t.db, values);
    const [payment] = await t.sql`select * from payments where id = ${row.id}`;
    expect(payment).toMatchObject({
      merchant_id: merchantId,
      status: 'pending',
      metadata: { order: '7' },
      payment_method: 'pm_card_visa',
      idempotency_key: 'k1',
    });
    expect(new Date(payment!.created_at)).toEqual(row.createdAt);
    const [event] = await t.sql`select * from events where object_id = ${row.id}`;
    expect(event).toMatchObject({ id: values.eventId, type: 'payment.created' });
    expect(event!.data.object).toMatchObject({ id: row.id, amount: 2500, status: 'pending' });
    const jobs =
      await t.sql`select type, payload, unique_key, max_attempts, trace_context from jobs order by type`;
    expect(jobs.map((j) => ({ ...j }))).toEqual([
      {
        type: 'payment.process',
        payload: { payment_id: row.id },
        unique_key: `payment.process:${row.id}`,
        max_attempts: 10,
        trace_context: TRACE,
      },
      {
        type: 'webhook.deliver',
        payload: { event_id: values.eventId, endpoint_id: endpointId },
        unique_key: `webhook.deliver:${values.eventId}:${endpointId}`,
        max_attempts: 10,
        trace_context: TRACE,
      },
    ]);
  });

  /** Rows of the three tables a payment creation writes, to prove a failed one wrote none. */
  const counts = () =>
    t.sql`select (select count(*) from payments)::int as p, (select count(*) from events)::int as e,
                 (select count(*) from jobs)::int as j`;

  it('is atomic: a reused idempotency key fails the statement and writes nothing', async () => {
    const before = await counts();
    const { values } = createPaymentValues({
      merchantId,
      amount: 100,
      currency: 'usd',
      idempotencyKey: 'k1',
    });
    const error = await CREATE_PAYMENT.execute(t.db, values).catch((e: unknown) => e);
    expect(pgErrorOf(error)?.constraint_name).toBe('payments_merchant_idempotency_key');
    expect(await counts()).toEqual(before);
  });

  describe('CREATE_PAYMENT_STORING_RESPONSE', () => {
    const claim = (key: string) =>
      t.sql`insert into idempotency_keys (merchant_id, key, method, path, fingerprint)
            values (${merchantId}, ${key}, 'POST', '/v1/payments', 'f')`;
    const stored = async (key: string) =>
      (
        await t.sql`select status, response_status, response_body from idempotency_keys
                     where merchant_id = ${merchantId} and key = ${key}`
      ).map((r) => ({ ...r }));

    it('writes the payment, its event and job, and stores the response on the claim, in one statement', async () => {
      await claim('k2');
      const { row, values } = createPaymentValues({
        merchantId,
        amount: 700,
        currency: 'usd',
        idempotencyKey: 'k2',
      });
      await CREATE_PAYMENT_STORING_RESPONSE.execute(t.db, {
        ...values,
        idempotencyKey: 'k2',
        responseStatus: 200,
        responseBody: '{"id":"exact bytes"}',
      });
      const [payment] = await t.sql`select idempotency_key from payments where id = ${row.id}`;
      expect(payment).toEqual({ idempotency_key: 'k2' });
      const [jobs] =
        await t.sql`select count(*)::int as n from jobs where payload->>'payment_id' = ${row.id}`;
      expect(jobs!.n).toBe(1);
      expect(await stored('k2')).toEqual([
        { status: 'completed', response_status: 200, response_body: '{"id":"exact bytes"}' },
      ]);
    });

    it('is atomic: a payment key reused after its claim was swept writes nothing and stores nothing', async () => {
      // k1's claim is gone (swept after 24 hours) but its payment remains; a new claim of k1 …
      await claim('k1');
      const before = await counts();
      const { values } = createPaymentValues({
        merchantId,
        amount: 100,
        currency: 'usd',
        idempotencyKey: 'k1',
      });
      const error = await CREATE_PAYMENT_STORING_RESPONSE.execute(t.db, {
        ...values,
        idempotencyKey: 'k1',
        responseStatus: 200,
        responseBody: '{}',
      }).catch((e: unknown) => e);
      expect(pgErrorOf(error)?.constraint_name).toBe('payments_merchant_idempotency_key');
      expect(await counts()).toEqual(before);
      expect(await stored('k1')).toEqual([
        { status: 'in_flight', response_status: null, response_body: null },
      ]);
    });
  });
});
