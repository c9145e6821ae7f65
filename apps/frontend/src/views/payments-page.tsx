import type { Payment } from '../api.js';
import { filterQuery, type ParsedFilter } from '../params/payment-filter.js';
import type { Flash } from '../session/session.js';
import { EmptyState, FieldError } from './components.js';
import { Layout, type LayoutProps } from './layout.js';
import { PaymentTable } from './overview-page.js';

export interface PaymentsPageProps {
  user: LayoutProps['user'];
  flash?: Flash;
  locale: string;
  parsed: ParsedFilter;
  payments: Payment[];
  hasMore: boolean;
}

/**
 * Cursor pagination, Stripe style: `starting_after` walks to older payments, `ending_before`
 * back to newer ones, and `has_more` speaks about the direction just walked.
 */
function pager(parsed: ParsedFilter, payments: Payment[], hasMore: boolean) {
  const first = payments[0]?.id;
  const last = payments[payments.length - 1]?.id;
  const backwards = parsed.filter.endingBefore !== undefined;
  const older =
    last && (backwards || hasMore) ? filterQuery(parsed.form, { starting_after: last }) : undefined;
  const newer =
    first && (backwards ? hasMore : parsed.filter.startingAfter !== undefined)
      ? filterQuery(parsed.form, { ending_before: first })
      : undefined;
  return { older, newer };
}

export function PaymentsPage({ user, flash, locale, parsed, payments, hasMore }: PaymentsPageProps) {
  const { form, errors } = parsed;
  const { older, newer } = pager(parsed, payments, hasMore);
  const filtered = Boolean(form.status || form.from || form.to);
  return (
    <Layout title="Payments" section="payments" user={user} flash={flash}>
      <h1>Payments</h1>
      <form method="get" action="/payments" class="inline card" aria-label="Filter payments">
        <div class="field">
          <label for="status">Status</label>
          <select
            id="status"
            name="status"
            aria-invalid={errors.status ? 'true' : undefined}
            aria-describedby={errors.status ? 'status-error' : undefined}
          >
            <option value="" selected={!form.status}>
              Any status
            </option>
            {(['succeeded', 'pending', 'failed'] as const).map((s) => (
              <option value={s} selected={form.status === s}>
                {s[0]!.toUpperCase() + s.slice(1)}
              </option>
            ))}
          </select>
          <FieldError id="status-error" message={errors.status} />
        </div>
        <div class="field">
          <label for="from">From</label>
          <input
            type="date"
            id="from"
            name="from"
            value={form.from}
            aria-invalid={errors.from ? 'true' : undefined}
            aria-describedby={errors.from ? 'from-error' : undefined}
          />
          <FieldError id="from-error" message={errors.from} />
        </div>
        <div class="field">
          <label for="to">To (inclusive)</label>
          <input
            type="date"
            id="to"
            name="to"
            value={form.to}
            aria-invalid={errors.to ? 'true' : undefined}
            aria-describedby={errors.to ? 'to-error' : undefined}
          />
          <FieldError id="to-error" message={errors.to} />
        </div>
        <div class="actions">
          <button type="submit">Filter</button>
          {filtered ? (
            <a class="button secondary" href="/payments">
              Clear
            </a>
          ) : null}
        </div>
      </form>
      {payments.length === 0 ? (
        <EmptyState title={filtered ? 'No payments match these filters' : 'No payments yet'}>
          <p>
            {filtered
              ? 'Try another status or a wider date range.'
              : 'Payments you create with your API key appear here.'}
          </p>
        </EmptyState>
      ) : (
        <PaymentTable payments={payments} locale={locale} label="Payments" />
      )}
      {older || newer ? (
        <nav class="pagination" aria-label="Pages of payments">
          {newer ? (
            <a href={`/payments${newer}`} rel="prev">
              ← Newer
            </a>
          ) : (
            <span />
          )}
          {older ? (
            <a href={`/payments${older}`} rel="next">
              Older →
            </a>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </Layout>
  );
}
