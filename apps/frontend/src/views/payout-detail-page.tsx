import type { Payout } from '../api.js';
import { formatDateTime } from '../format/locale.js';
import type { Flash } from '../session/session.js';
import { Money, StatusBadge } from './components.js';
import { Layout, type LayoutProps } from './layout.js';
import { payoutBadge, settlementDay } from './payouts-page.js';

export interface PayoutDetailPageProps {
  user: LayoutProps['user'];
  flash?: Flash;
  locale: string;
  payout: Payout;
}

/**
 * The settlement writes every payout as `pending` (apps/worker/README.md, "Settlement"); nothing
 * moves a payout on yet, so these texts say only what each status means, not what Payday did.
 */
const STATUS_TEXT: Record<Payout['status'], string> = {
  pending: 'On its way to your bank account.',
  paid: 'Arrived in your bank account.',
  failed: 'Your bank returned it.',
};

export function PayoutDetailPage({ user, flash, locale, payout: p }: PayoutDetailPageProps) {
  return (
    <Layout title={`Payout ${p.id}`} section="payouts" user={user} flash={flash}>
      <p>
        <a href="/payouts">← All payouts</a>
      </p>
      <h1>
        <Money amount={p.amount} currency={p.currency} locale={locale} />{' '}
        <StatusBadge status={payoutBadge(p.status)} />
      </h1>
      <section class="card" aria-labelledby="payout-facts-title">
        <h2 id="payout-facts-title">Details</h2>
        <dl class="facts">
          <dt>Payout</dt>
          <dd class="mono">{p.id}</dd>
          <dt>Amount</dt>
          <dd id="payout-amount">
            <Money amount={p.amount} currency={p.currency} locale={locale} />
          </dd>
          <dt>Status</dt>
          <dd>{STATUS_TEXT[p.status]}</dd>
          <dt>Settlement of</dt>
          <dd id="payout-settlement-date">{settlementDay(p.settlementDate, locale)}</dd>
          <dt>Created</dt>
          <dd>{formatDateTime(p.createdAt, locale)}</dd>
        </dl>
      </section>
      <p>
        This payout is the {p.currency.toUpperCase()} available balance when the settlement of{' '}
        {settlementDay(p.settlementDate, locale)} ran: the payments captured until then, less refunds, after
        earlier payouts.{' '}
        <a href={`/payouts?currency=${encodeURIComponent(p.currency)}`}>
          All {p.currency.toUpperCase()} payouts
        </a>
      </p>
    </Layout>
  );
}
