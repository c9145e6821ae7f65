/**
 * The floor of `POST /v1/payments` on this stack, for the api suite: a bare Hono +
 * postgres.js server that parses the JSON body and runs the very statement the API runs
 * (`CREATE_PAYMENT` from @payday/db, values from `createPaymentValues`), prepared, on a pool of
 * the same size, and answers with the payment. No authentication, validation, idempotency,
 * logging, metrics or security headers: what any Node HTTP server in front of this statement
 * pays. Bundled and run under plain node like the API by the api suite (bench/suites/api.ts).
 */
import { serve } from '@hono/node-server';
import { CREATE_PAYMENT, createPaymentValues, paymentObject } from '@payday/db';
import { Hono } from 'hono';
import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL!, { max: Number(process.env.POOL), onnotice: () => {} });
const merchantId = process.env.MERCHANT_ID!;
const app = new Hono();
app.post('/v1/payments', async (c) => {
  const body = (await c.req.json()) as { amount: number; currency: 'usd' };
  const { row, values } = createPaymentValues({ merchantId, amount: body.amount, currency: body.currency });
  const parameters = CREATE_PAYMENT.parameters.map((p) =>
    'placeholder' in p ? values[p.placeholder as keyof typeof values] : p.value,
  );
  await sql.unsafe(CREATE_PAYMENT.text, parameters as never[], { prepare: true });
  return c.json(paymentObject(row));
});
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }, () =>
  console.log('listening'),
);
