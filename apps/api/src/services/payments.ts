import {
  CREATE_PAYMENT,
  type Currency,
  createPaymentValues,
  type Executor,
  paymentObject,
  pgErrorOf,
  SQLSTATE,
} from '@payday/db';
import { payments } from '@payday/db/schema';
import { and, eq, sql } from 'drizzle-orm';
import { ApiError, notFound } from '../errors.js';

export interface CreatePaymentInput {
  amount: number;
  currency: Currency;
  description?: string | undefined;
  metadata?: Record<string, string> | undefined;
  customer_reference?: string | undefined;
  payment_method?: string | undefined;
}

/**
 * Creates a pending payment, its `payment.created` event and the `payment.process` job in the
 * caller's transaction, in ONE statement (`CREATE_PAYMENT` in @payday/db); the worker moves it
 * to succeeded/failed and posts the ledger capture.
 */
export async function createPayment(
  tx: Executor,
  merchantId: string,
  input: CreatePaymentInput,
  idempotencyKey: string | undefined,
  traceContext: Record<string, string> | null,
) {
  const { row, values } = createPaymentValues({
    merchantId,
    amount: input.amount,
    currency: input.currency,
    description: input.description,
    metadata: input.metadata,
    customerReference: input.customer_reference,
    paymentMethod: input.payment_method,
    idempotencyKey,
    traceContext,
  });
  try {
    await CREATE_PAYMENT.execute(tx, values);
  } catch (error) {
    const pg = pgErrorOf(error);
    if (pg?.code === SQLSTATE.uniqueViolation && pg.constraint_name === 'payments_merchant_idempotency_key') {
      throw new ApiError(
        409,
        'idempotency_error',
        'idempotency_key_expired',
        `A payment was already created with Idempotency-Key '${idempotencyKey}' more than 24 hours ago; a payment's key is never reused. Use a new key.`,
      );
    }
    throw error;
  }
  return paymentObject(row);
}

/**
 * The retrieve query, built once per executor: building a drizzle query walks the schema on every
 * call (a tenth of a GET's CPU time in a profile); a prepared one keeps the SQL text and only
 * binds the parameters. postgres.js prepares the statement server-side per connection either way.
 */
function retrieveQuery(tx: Executor) {
  return tx
    .select()
    .from(payments)
    .where(
      and(eq(payments.id, sql.placeholder('id')), eq(payments.merchantId, sql.placeholder('merchantId'))),
    )
    .prepare('payday_get_payment');
}
const retrieveQueries = new WeakMap<Executor, ReturnType<typeof retrieveQuery>>();

export async function getPayment(tx: Executor, merchantId: string, id: string, param?: string) {
  let query = retrieveQueries.get(tx);
  if (!query) {
    query = retrieveQuery(tx);
    retrieveQueries.set(tx, query);
  }
  const [row] = await query.execute({ id, merchantId });
  if (!row) throw notFound('payment', id, param);
  return row;
}
