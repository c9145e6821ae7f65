import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../client.js';
import type { Currency } from '../currencies.js';
import { ledgerAccounts, ledgerEntries, ledgerTransactions } from '../schema/ledger.js';
import { type Direction, type LedgerAccountKind, NORMAL_BALANCE } from './accounts.js';

export interface LedgerLeg {
  account: LedgerAccountKind;
  currency: Currency;
  direction: Direction;
  /** Minor units, > 0. */
  amount: number;
}

export interface LedgerPosting {
  merchantId: string;
  /**
   * Idempotency key of the posting (TigerBeetle: at most one transfer per id), e.g.
   * `payment:pay_…:capture`. Posting the same key twice is a no-op that returns the first.
   */
  key: string;
  description: string;
  paymentId?: string;
  refundId?: string;
  payoutId?: string;
  legs: LedgerLeg[];
}

export class UnbalancedPostingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnbalancedPostingError';
  }
}

/**
 * Posts a balanced ledger transaction inside the caller's transaction. Checks the balance here
 * for a clear error; the database checks it again at commit (constraint trigger
 * `ledger_entries_balanced`), so no code path can commit an unbalanced transaction.
 */
export async function postLedgerTransaction(
  tx: Executor,
  posting: LedgerPosting,
): Promise<{ id: string; created: boolean }> {
  assertBalanced(posting.legs);
  const [inserted] = await tx
    .insert(ledgerTransactions)
    .values({
      merchantId: posting.merchantId,
      key: posting.key,
      description: posting.description,
      paymentId: posting.paymentId ?? null,
      refundId: posting.refundId ?? null,
      payoutId: posting.payoutId ?? null,
    })
    .onConflictDoNothing({ target: ledgerTransactions.key })
    .returning({ id: ledgerTransactions.id });
  if (!inserted) {
    const [existing] = await tx
      .select({ id: ledgerTransactions.id })
      .from(ledgerTransactions)
      .where(eq(ledgerTransactions.key, posting.key));
    return { id: existing!.id, created: false };
  }
  const accounts = await ensureAccounts(tx, posting.merchantId, posting.legs);
  await tx.insert(ledgerEntries).values(
    posting.legs.map((leg) => ({
      transactionId: inserted.id,
      accountId: accounts.get(`${leg.currency}:${leg.account}`)!,
      currency: leg.currency,
      direction: leg.direction,
      amount: leg.amount,
    })),
  );
  return { id: inserted.id, created: true };
}

export function assertBalanced(legs: LedgerLeg[]): void {
  if (legs.length < 2) throw new UnbalancedPostingError('a ledger transaction needs at least two legs');
  const net = new Map<string, number>();
  for (const leg of legs) {
    if (!Number.isSafeInteger(leg.amount) || leg.amount <= 0) {
      throw new UnbalancedPostingError(`leg amount must be a positive integer, got ${leg.amount}`);
    }
    const sign = leg.direction === 'debit' ? 1 : -1;
    net.set(leg.currency, (net.get(leg.currency) ?? 0) + sign * leg.amount);
  }
  for (const [currency, value] of net) {
    if (value !== 0)
      throw new UnbalancedPostingError(`unbalanced in ${currency}: debits - credits = ${value}`);
  }
}

/** Returns `currency:kind` → account id, creating missing accounts (race-safe). */
async function ensureAccounts(
  tx: Executor,
  merchantId: string,
  legs: LedgerLeg[],
): Promise<Map<string, string>> {
  const wanted = new Map(legs.map((l) => [`${l.currency}:${l.account}`, l]));
  await tx
    .insert(ledgerAccounts)
    .values(
      [...wanted.values()].map((l) => ({
        merchantId,
        currency: l.currency,
        kind: l.account,
        normalBalance: NORMAL_BALANCE[l.account],
      })),
    )
    .onConflictDoNothing();
  const rows = await tx
    .select({ id: ledgerAccounts.id, currency: ledgerAccounts.currency, kind: ledgerAccounts.kind })
    .from(ledgerAccounts)
    .where(
      and(
        eq(ledgerAccounts.merchantId, merchantId),
        inArray(ledgerAccounts.currency, [...new Set(legs.map((l) => l.currency))]),
        inArray(ledgerAccounts.kind, [...new Set(legs.map((l) => l.account))]),
      ),
    );
  return new Map(rows.map((r) => [`${r.currency}:${r.kind}`, r.id]));
}
