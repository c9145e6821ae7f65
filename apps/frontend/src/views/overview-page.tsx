import type { Balance, Payment, Payout } from '../api.js';
import type { Flash } from '../session/session.js';
import { EmptyState, Money, TableWrap } from './components.js';
import { Layout, type LayoutProps } from './layout.js';
import { paymentRows } from './payment-rows.js';
import { settlementDay } from './payouts-page.js';
import { type ChartSeries, VolumeChart } from './volume-chart.js';

export interface OverviewPageProps {
  user: LayoutProps['user'];
  flash?: Flash;
  locale: string;
  balances: Balance[];
  series: ChartSeries[];
  recent: Payment[];
  /** The newest payout per currency, when there is one. */
  lastPayouts?: ReadonlyMap<string, Payout>;
}

export function OverviewPage({
  user,
  flash,
  locale,
  balances,
  series,
  recent,
  lastPayouts,
}: OverviewPageProps) {
  return (
    <Layout title="Overview" section="overview" user={user} flash={flash}>
      <h1>Overview</h1>
      <h2 id="balances-title">Balances</h2>
      {balances.length === 0 ? (
        <EmptyState title="No balance yet">
          <p>Your balance appears here after your first successful payment.</p>
        </EmptyState>
      ) : (
        <section class="cards" aria-labelledby="balances-title">
          {balances.map((b) => (
            <div class="card">
              <p class="stat-label">Available · {b.currency.toUpperCase()}</p>
              <p class="stat-value">
                <Money amount={b.available} currency={b.currency} locale={locale} />
              </p>
              <p class="stat-sub">
                Pending: <Money amount={b.pending} currency={b.currency} locale={locale} />
              </p>
              <LastPayout payout={lastPayouts?.get(b.currency)} locale={locale} />
              <p class="stat-sub">
                <a href={`/payouts?currency=${encodeURIComponent(b.currency)}`}>
                  {b.currency.toUpperCase()} payouts
                </a>
              </p>
            </div>
          ))}
        </section>
      )}
      <h2>Volume</h2>
      {series.length === 0 ? (
        <EmptyState title="No payments in the last 30 days">
          <p>
            Create a payment with an <a href="/api-keys">API key</a> and the daily volume appears here.
          </p>
        </EmptyState>
      ) : (
        series.slice(0, 4).map((s) => <VolumeChart series={s} locale={locale} />)
      )}
      <h2>Latest payments</h2>
      {recent.length === 0 ? (
        <EmptyState title="No payments yet" />
      ) : (
        <>
          <PaymentTable payments={recent} locale={locale} label="Latest payments" />
          <p>
            <a href="/payments">All payments</a>
          </p>
        </>
      )}
    </Layout>
  );
}

/** The daily settlement pays the whole available balance out; the last payout shows where it went. */
function LastPayout({ payout, locale }: { payout: Payout | undefined; locale: string }) {
  if (!payout) return null;
  return (
    <p class="stat-sub">
      Last payout: <Money amount={payout.amount} currency={payout.currency} locale={locale} />, settlement of{' '}
      {settlementDay(payout.settlementDate, locale)}
    </p>
  );
}

export function PaymentTable({
  payments,
  locale,
  label,
}: {
  payments: Payment[];
  locale: string;
  label: string;
}) {
  return (
    <TableWrap label={label}>
      <table>
        <thead>
          <tr>
            <th scope="col" class="num">
              Amount
            </th>
            <th scope="col">Status</th>
            <th scope="col">Description</th>
            <th scope="col" class="hide-narrow">
              Payment
            </th>
            <th scope="col" class="hide-narrow">
              Created
            </th>
          </tr>
        </thead>
        <tbody>{paymentRows(payments, locale)}</tbody>
      </table>
    </TableWrap>
  );
}
