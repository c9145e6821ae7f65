import { sql } from 'drizzle-orm';
import { bigint, char, check, date, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { ID_PREFIX } from '../ids.js';
import { createdAt, idRef, publicId } from './columns.js';
import { merchants } from './merchants.js';
import { currencies } from './payments.js';

/** A settlement batch paid out to a merchant: one per (merchant, currency, settlement date). */
export const payouts = pgTable(
  'payouts',
  {
    id: publicId(ID_PREFIX.payout),
    merchantId: idRef('merchant_id')
      .notNull()
      .references(() => merchants.id),
    currency: char('currency', { length: 3 })
      .notNull()
      .references(() => currencies.code),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    settlementDate: date('settlement_date', { mode: 'string' }).notNull(),
    status: text('status', { enum: ['pending', 'paid', 'failed'] })
      .notNull()
      .default('pending'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('payouts_merchant_currency_date_key').on(t.merchantId, t.currency, t.settlementDate),
    check('payouts_amount_nonnegative', sql`${t.amount} >= 0`),
    check('payouts_status_check', sql`${t.status} in ('pending', 'paid', 'failed')`),
  ],
);
