import {
  type Currency,
  createPaymentAlone,
  createPaymentValues,
  type Executor,
  paymentObject,
  paymentObjectCreatedAt,
  pgErrorOf,
  prepareStatement,
  SQLSTATE,
} from '@payday/db';
import { type PaymentStatus, payments } from '@payday/db/schema';
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { ApiError, notFound } from '../errors.js';
import { PaymentCreationBatcher } from '../payments/creation-batcher.js';
import { type PageQuery, paginate } from './pagination.js';

export interface CreatePaymentInput {
  amount: number;
  currency: Currency;
  description?: string | undefined;
  metadata?: Record<string, string> | undefined;
  customer_reference?: string | undefined;
  payment_method?: string | undefined;
}

/**
 * Where a creation's statement runs: an executor (the pool or a caller's transaction) runs it
 * alone; a `PaymentCreationBatcher` (on the pool) runs it with the creations that arrive with it,
 * in one statement for the group, each answered with its own outcome.
 */
export type CreationTarget = Executor | PaymentCreationBatcher;

const write = (via: CreationTarget, values: Parameters<PaymentCreationBatcher['create']>[0]) =>
  via instanceof PaymentCreationBatcher ? via.create(values) : createPaymentAlone(via, values);

/**
 * Creates a pending payment, its `payment.created` event and the `payment.process` job in the
 * caller's transaction, in ONE statement (`CREATE_PAYMENT` in @payday/db), or through the
 * batcher, in its group's statement; the worker moves it to succeeded/failed and posts the
 * ledger capture.
 */
export async function createPayment(
  tx: CreationTarget,
  merchantId: string,
  input: CreatePaymentInput,
  idempotencyKey: string | undefined,
  traceContext: Record<string, string> | null,
) {
  const { row, values } = paymentValues(merchantId, input, idempotencyKey, traceContext);
  await run(write(tx, values), idempotencyKey);
  return paymentObject(row);
}

/**
 * The same for a request whose Idempotency-Key the caller has claimed: the statement also stores
 * the response (status 200 and `json`, the payment as JSON text) on the claim
 * (`CREATE_PAYMENT_STORING_RESPONSE`), so the payment and its stored response commit together
 * without a transaction around them. Returns the exact bytes stored, for the caller to send.
 */
export async function createPaymentStoringResponse(
  tx: CreationTarget,
  merchantId: string,
  input: CreatePaymentInput,
  idempotencyKey: string,
  traceContext: Record<string, string> | null,
): Promise<{ status: 200; json: string }> {
  const { row, values } = paymentValues(merchantId, input, idempotencyKey, traceContext);
  const json = JSON.stringify(paymentObject(row));
  await run(
    write(tx, { ...values, idempotencyKey, responseStatus: 200, responseBody: json }),
    idempotencyKey,
  );
  return { status: 200, json };
}

function paymentValues(
  merchantId: string,
  input: CreatePaymentInput,
  idempotencyKey: string | undefined,
  traceContext: Record<string, string> | null,
) {
  return createPaymentValues({
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
}

/** Runs a creation statement; a payment's key reused after its claim was swept is a 409. */
async function run(statement: Promise<unknown>, idempotencyKey: string | undefined): Promise<void> {
  try {
    await statement;
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
}

/**
 * The retrieve query as one statement compiled once (`prepareStatement`): the columns the public
 * object shows, always scoped to the merchant. Read straight from postgres.js's rows instead of
 * through drizzle's query builder: its `execute` wraps each call in three tracing closures,
 * fills the placeholders and maps every column through its decoder, a few microseconds of each
 * GET (bench/README.md, "API: where the time goes"). What drizzle would decode is in
 * `paymentFromRow`: int8 arrives as text (postgres.js), jsonb parsed. `created_at` comes as
 * `toISOString()` would write it (UTC, milliseconds cut, not rounded, as a Date keeps them):
 * parsing the timestamp's text into a Date was the costliest line of the handler.
 */
const RETRIEVE = prepareStatement<{ id: string; merchantId: string }>(sql`
  select ${payments.id}, ${payments.amount}, ${payments.currency}, ${payments.status},
         ${payments.failureCode}, ${payments.description}, ${payments.metadata},
         ${payments.customerReference}, ${payments.paymentMethod}, ${payments.amountCaptured},
         ${payments.amountRefunded},
         to_char(${payments.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at
    from ${payments}
   where ${payments.id} = ${sql.placeholder('id')}
     and ${payments.merchantId} = ${sql.placeholder('merchantId')}`);

function paymentFromRow(r: Record<string, unknown>) {
  return paymentObjectCreatedAt(
    {
      id: r.id as string,
      amount: Number(r.amount),
      currency: r.currency as string,
      status: r.status as PaymentStatus,
      failureCode: r.failure_code as string | null,
      description: r.description as string | null,
      metadata: r.metadata as Record<string, string>,
      customerReference: r.customer_reference as string | null,
      paymentMethod: r.payment_method as string,
      amountCaptured: Number(r.amount_captured),
      amountRefunded: Number(r.amount_refunded),
    },
    r.created_at as string,
  );
}

export async function getPayment(tx: Executor, merchantId: string, id: string, param?: string) {
  const [row] = await RETRIEVE.execute(tx, { id, merchantId });
  if (!row) throw notFound('payment', id, param);
  return paymentFromRow(row);
}

/** `GET /v1/payments`: newest first, optionally by status and creation time. */
export function listPayments(
  db: Executor,
  merchantId: string,
  query: PageQuery & {
    status?: PaymentStatus | undefined;
    created_gte?: string | undefined;
    created_lt?: string | undefined;
  },
) {
  const tenant = eq(payments.merchantId, merchantId);
  const scope = and(
    tenant,
    query.status ? eq(payments.status, query.status) : undefined,
    query.created_gte ? gte(payments.createdAt, new Date(query.created_gte)) : undefined,
    query.created_lt ? lt(payments.createdAt, new Date(query.created_lt)) : undefined,
  );
  return paginate(
    query,
    '/v1/payments',
    payments.id,
    scope,
    (where, orderBy, limit) => db.select().from(payments).where(where).orderBy(orderBy).limit(limit),
    paymentObject,
    // A cursor payment may have changed status since the previous page.
    tenant,
  );
}
