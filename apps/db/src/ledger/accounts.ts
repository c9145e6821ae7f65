import type { LEDGER_ACCOUNT_KINDS } from '../schema/ledger.js';

export type LedgerAccountKind = (typeof LEDGER_ACCOUNT_KINDS)[number];
export type Direction = 'debit' | 'credit';

/**
 * The chart of accounts, one set per merchant and currency. Postings:
 *
 * | event                         | debit                  | credit               |
 * |-------------------------------|------------------------|----------------------|
 * | payment succeeded (worker)    | processor_receivable   | merchant_pending     |
 * | refund (API)                  | merchant_pending       | processor_receivable |
 * | settlement (worker, daily)    | merchant_pending       | merchant_available   |
 * | payout sent (worker)          | merchant_available     | payouts_in_transit   |
 *
 * `merchant_*` are what Payday owes the merchant (liabilities: credit-normal);
 * `processor_receivable` is what the card processor owes Payday (an asset: debit-normal);
 * `payouts_in_transit` is money sent to the merchant's bank but not yet confirmed (credit-normal,
 * it nets against the receivable once the processor settles).
 * A refund can drive `merchant_pending` negative, as a Stripe balance can go negative.
 */
export const NORMAL_BALANCE: Record<LedgerAccountKind, Direction> = {
  processor_receivable: 'debit',
  merchant_pending: 'credit',
  merchant_available: 'credit',
  payouts_in_transit: 'credit',
};
