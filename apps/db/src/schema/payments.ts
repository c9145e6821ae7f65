import { sql } from 'drizzle-orm';
import {
  bigint,
  char,
  check,
  index,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { ID_PREFIX } from '../ids.js';
import { createdAt, idRef, publicId } from './columns.js';
import { merchants } from './merchants.js';

/** ISO 4217 codes (lower case, as the API spells them) with their minor-unit exponent. */
export const currencies = pgTable(
  'currencies',
  {
    code: char('code', { length: 3 }).primaryKey(),
    exponent: smallint('exponent').notNull(),
  },
  (t) => [
    check('currencies_code_format', sql`${t.code} ~ '^[a-z]{3}$'`),
    check('currencies_exponent_check', sql`${t.exponent} in (0, 2, 3)`),
  ],
);

export const PAYMENT_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * A charge. Created `pending` by the API; the worker's `payment.process` job moves it to
 * `succeeded` (captures the full amount) or `failed`. Refunds can never exceed what was
 * captured: the check below, kept true by the refunds trigger (migration 0001).
 */
export const payments = pgTable(
  'payments',
  {
    id: publicId(ID_PREFIX.payment),
    merchantId: idRef('merchant_id')
      .notNull()
      .references(() => merchants.id),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: char('currency', { length: 3 })
      .notNull()
      .references(() => currencies.code),
    status: text('status', { enum: PAYMENT_STATUSES }).notNull().default('pending'),
    failureCode: text('failure_code'),
    description: text('description'),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    customerReference: text('customer_reference'),
    /** A test payment method (`pm_card_visa`, `pm_card_declined`, …) that decides the outcome. */
    paymentMethod: text('payment_method').notNull(),
    amountCaptured: bigint('amount_captured', { mode: 'number' }).notNull().default(0),
    amountRefunded: bigint('amount_refunded', { mode: 'number' }).notNull().default(0),
    /** The Idempotency-Key the payment was created with: one payment per (merchant, key). */
    idempotencyKey: text('idempotency_key'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('payments_amount_positive', sql`${t.amount} > 0`),
    check('payments_status_check', sql`${t.status} in ('pending', 'succeeded', 'failed')`),
    check(
      'payments_captured_le_amount',
      sql`${t.amountCaptured} >= 0 and ${t.amountCaptured} <= ${t.amount}`,
    ),
    check(
      'payments_refunded_le_captured',
      sql`${t.amountRefunded} >= 0 and ${t.amountRefunded} <= ${t.amountCaptured}`,
    ),
    uniqueIndex('payments_merchant_idempotency_key').on(t.merchantId, t.idempotencyKey),
    index('payments_merchant_id_idx').on(t.merchantId, t.id),
    index('payments_merchant_status_idx').on(t.merchantId, t.status, t.id),
  ],
);

/**
 * A refund of part or all of a succeeded payment. Inserting one raises the payment's
 * `amount_refunded` in the same statement (trigger `refunds_apply`), so the payment's check
 * constraint rejects a refund that would exceed the captured amount, even under concurrency:
 * the trigger's UPDATE takes the payment's row lock, serialising concurrent refunds.
 */
export const refunds = pgTable(
  'refunds',
  {
    id: publicId(ID_PREFIX.refund),
    merchantId: idRef('merchant_id')
      .notNull()
      .references(() => merchants.id),
    paymentId: idRef('payment_id')
      .notNull()
      .references(() => payments.id),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: char('currency', { length: 3 })
      .notNull()
      .references(() => currencies.code),
    reason: text('reason'),
    status: text('status', { enum: ['succeeded'] })
      .notNull()
      .default('succeeded'),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    check('refunds_amount_positive', sql`${t.amount} > 0`),
    index('refunds_merchant_id_idx').on(t.merchantId, t.id),
    index('refunds_payment_idx').on(t.paymentId),
  ],
);
