import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgErrorOf } from '../errors.js';
import { webhookEndpoints } from '../schema/events.js';
import { insertMerchant, openTestDatabase } from '../testing/fixtures.js';
import { CREATE_PAYMENT, createPaymentValues } from './create.js';

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

  it('is atomic: a reused idempotency key fails the statement and writes nothing', async () => {
    const counts = () =>
      t.sql`select (select count(*) from payments)::int as p, (select count(*) from events)::int as e,
                   (select count(*) from jobs)::int as j`;
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
});
