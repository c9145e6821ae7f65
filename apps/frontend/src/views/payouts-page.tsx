import type { Payout } from '../api.js';
import { formatDate, formatDateTime } from '../format/locale.js';
import type { Flash } from '../session/session.js';
import { EmptyState, Money, StatusBadge, TableWrap } from './components.js';
import { Layout, type LayoutProps } from './layout.js';
import { Pager, type Paging } from './pager.js';

export interface PayoutsPageProps {
  user: LayoutProps['user'];
  flash?: Flash;
  locale: string;
  payouts: Payout[];
  paging: Paging;
  /** Lower-case ISO 4217 code when the list is filtered to one currency, else ''. */
  currency: string;
  error?: string;
}

/** A payout in transit is `pending` in the API; people call that "in transit". */
export const payoutBadge = (status: Payout['status']) => (status === 'pending' ? 'in_transit' : status);

/** The settlement day, a UTC date, shown as a date (no time: it names a whole day). */
export const settlementDay = (date: string, locale: string) => formatDate(`${date}T00:00:00.000Z`, locale);

export function PayoutsPage({ user, flash, locale, payouts, paging, currency, error }: PayoutsPageProps) {
  const code = currency.toUpperCase();
  return (
    <Layout title="Payouts" section="payouts" user={user} flash={flash}>
      <h1>{currency ? `Payouts in ${code}` : 'Payouts'}</h1>
      <p>
        Every day Payday settles the day before: captured payments move from pending to available, and the
        whole available balance is paid out to your bank. That is why your available balance is usually zero:
        the money is in these payouts.
      </p>
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {currency ? (
        <p>
          <a href="/payouts">All currencies</a>
        </p>
      ) : null}
      {payouts.length === 0 ? (
        <EmptyState title={currency ? `No payouts in ${code} yet` : 'No payouts yet'}>
          <p>Your first payout appears after the daily settlement that follows a successful payment.</p>
        </EmptyState>
      ) : (
        <TableWrap label="Payouts">
          <table>
            <thead>
              <tr>
                <th scope="col" class="num">
                  Amount
                </th>
                <th scope="col">Status</th>
                <th scope="col">Settlement of</th>
                <th scope="col" class="hide-narrow">
                  Payout
                </th>
                <th scope="col" class="hide-narrow">
                  Created
                </th>
              </tr>
            </thead>
            <tbody>
              {payouts.map((p) => (
                <tr>
                  <td class="num">
                    <a href={`/payouts/${encodeURIComponent(p.id)}`}>
                      <Money amount={p.amount} currency={p.currency} locale={locale} />
                      <span class="visually-hidden"> payout {p.id}</span>
                    </a>
                  </td>
                  <td>
                    <StatusBadge status={payoutBadge(p.status)} />
                  </td>
                  <td>{settlementDay(p.settlementDate, locale)}</td>
                  <td class="mono hide-narrow">{p.id}</td>
                  <td class="hide-narrow">{formatDateTime(p.createdAt, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <Pager
        path="/payouts"
        label="Pages of payouts"
        ids={payouts.map((p) => p.id)}
        paging={paging}
        {...(currency ? { params: { currency } } : {})}
      />
    </Layout>
  );
}
