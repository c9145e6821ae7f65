import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  char,
  check,
  foreignKey,
  index,
  pgTable,
  text,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { ID_PREFIX } from '../ids.js';
import { createdAt, idRef, publicId } from './columns.js';
import { merchants } from './merchants.js';
import { currencies } from './payments.js';

/** Account kinds; see apps/db/src/ledger/accounts.ts for what each one means. */
export const LEDGER_ACCOUNT_KINDS = [
  'processor_receivable',
  'merchant_pending',
  'merchant_available',
  'payouts_in_transit',
] as const;

/**
 * One account per (merchant, currency, kind): the ledger is partitioned by currency the way
 * TigerBeetle partitions by `ledger`. `normal_balance` says which side increases it.
 */
export const ledgerAccounts = pgTable(
  'ledger_accounts',
  {
    id: publicId(ID_PREFIX.ledgerAccount),
    merchantId: idRef('merchant_id')
      .notNull()
      .references(() => merchants.id),
    currency: char('currency', { length: 3 })
      .notNull()
      .references(() => currencies.code),
    kind: text('kind', { enum: LEDGER_ACCOUNT_KINDS }).notNull(),
    normalBalance: text('normal_balance', { enum: ['debit', 'credit'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('ledger_accounts_merchant_currency_kind').on(t.merchantId, t.currency, t.kind),
    // Target of the entries' composite foreign key: an entry's currency is its account's.
    unique('ledger_accounts_id_currency').on(t.id, t.currency),
    check('ledger_accounts_normal_balance_check', sql`${t.normalBalance} in ('debit', 'credit')`),
  ],
);

/**
 * A posted ledger transaction. `key` makes posting idempotent (TigerBeetle: at most one
 * transfer per id): a worker retry posting `payment:pay_…:capture` again is a no-op.
 */
export const ledgerTransactions = pgTable(
  'ledger_transactions',
  {
    id: publicId(ID_PREFIX.ledgerTransaction),
    merchantId: idRef('merchant_id')
      .notNull()
      .references(() => merchants.id),
    key: text('key').notNull(),
    description: text('description').notNull(),
    paymentId: idRef('payment_id'),
    refundId: idRef('refund_id'),
    payoutId: idRef('payout_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('ledger_transactions_key').on(t.key),
    index('ledger_transactions_payment_idx').on(t.paymentId),
  ],
);

/**
 * Append-only entries (UPDATE, DELETE and TRUNCATE are rejected by triggers, migration 0001).
 * Every transaction balances per currency: Σ debits = Σ credits, checked at commit by the
 * deferred constraint trigger `ledger_entries_balanced`.
 */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    transactionId: idRef('transaction_id')
      .notNull()
      .references(() => ledgerTransactions.id),
    accountId: idRef('account_id').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    direction: text('direction', { enum: ['debit', 'credit'] }).notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: 'ledger_entries_account_currency_fk',
      columns: [t.accountId, t.currency],
      foreignColumns: [ledgerAccounts.id, ledgerAccounts.currency],
    }),
    check('ledger_entries_amount_positive', sql`${t.amount} > 0`),
    check('ledger_entries_direction_check', sql`${t.direction} in ('debit', 'credit')`),
    index('ledger_entries_transaction_idx').on(t.transactionId),
    index('ledger_entries_account_idx').on(t.accountId),
  ],
);
