import type { Payment, PaymentEvent } from '../api.js';
import { formatDateTime } from '../format/locale.js';
import { minorToDecimal } from '../format/money.js';
import type { Flash } from '../session/session.js';
import { CsrfField, EmptyState, FieldError, Money, StatusBadge } from './components.js';
import { Layout, type LayoutProps } from './layout.js';

export interface PaymentDetailPageProps {
  user: LayoutProps['user'];
  flash?: Flash;
  locale: string;
  payment: Payment;
  events: PaymentEvent[];
  /** A fresh Idempotency-Key per rendered form. */
  idempotencyKey: string;
  /** The submitted refund form when it was refused. */
  refund?: { amount: string; error: string };
}

const EVENT_TEXT: Record<string, string> = {
  'payment.created': 'Payment created',
  'payment.succeeded': 'Payment succeeded',
  'payment.failed': 'Payment failed',
  'payment.refunded': 'Refund issued',
  'refund.created': 'Refund issued',
};

export function PaymentDetailPage(props: PaymentDetailPageProps) {
  const { user, flash, locale, payment: p, events, idempotencyKey, refund } = props;
  const canRefund = p.status === 'succeeded' && p.amountRefundable > 0;
  return (
    <Layout title={`Payment ${p.id}`} section="payments" user={user} flash={flash}>
      <p>
        <a href="/payments">← All payments</a>
      </p>
      <h1>
        <Money amount={p.amount} currency={p.currency} locale={locale} /> <StatusBadge status={p.status} />
      </h1>
      <div class="two-col">
        <div>
          <section class="card" aria-labelledby="facts-title">
            <h2 id="facts-title">Details</h2>
            <dl class="facts">
              <dt>Payment</dt>
              <dd class="mono">{p.id}</dd>
              <dt>Created</dt>
              <dd>{formatDateTime(p.createdAt, locale)}</dd>
              <dt>Description</dt>
              <dd>{p.description ?? '—'}</dd>
              <dt>Amount</dt>
              <dd>
                <Money amount={p.amount} currency={p.currency} locale={locale} />
              </dd>
              <dt>Refunded</dt>
              <dd id="amount-refunded">
                <Money amount={p.amountRefunded} currency={p.currency} locale={locale} />
              </dd>
              <dt>Refundable</dt>
              <dd id="amount-refundable">
                <Money amount={p.amountRefundable} currency={p.currency} locale={locale} />
              </dd>
              {p.failureCode ? (
                <>
                  <dt>Failure</dt>
                  <dd class="mono">{p.failureCode}</dd>
                </>
              ) : null}
            </dl>
          </section>
          <section class="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title">Timeline</h2>
            {events.length === 0 ? (
              <EmptyState title="No events yet" />
            ) : (
              <ol class="timeline">
                {events.map((e) => (
                  <li>
                    <strong>{EVENT_TEXT[e.type] ?? e.type}</strong>
                    <span class="when">
                      <time datetime={e.createdAt}>{formatDateTime(e.createdAt, locale)}</time> ·{' '}
                      <span class="mono">{e.type}</span>
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>
        <section class="card" aria-labelledby="refund-title">
          <h2 id="refund-title">Refund</h2>
          {canRefund ? (
            <form method="post" action={`/payments/${encodeURIComponent(p.id)}/refunds`} class="stack">
              <CsrfField token={user?.csrf ?? ''} />
              <input type="hidden" name="idempotency_key" value={idempotencyKey} />
              <p id="refund-hint" class="hint">
                You can refund up to{' '}
                <Money amount={p.amountRefundable} currency={p.currency} locale={locale} />.
              </p>
              <div class="field">
                <label for="refund-amount">Amount ({p.currency.toUpperCase()})</label>
                <input
                  type="text"
                  inputmode="decimal"
                  id="refund-amount"
                  name="amount"
                  autocomplete="off"
                  required
                  value={refund?.amount ?? minorToDecimal(p.amountRefundable, p.currency)}
                  aria-invalid={refund ? 'true' : undefined}
                  aria-describedby={refund ? 'refund-error refund-hint' : 'refund-hint'}
                />
                <FieldError id="refund-error" message={refund?.error} />
              </div>
              <div>
                <button type="submit">Refund</button>
              </div>
            </form>
          ) : (
            <>
              {refund ? <FieldError id="refund-error" message={refund.error} /> : null}
              <p class="hint">
                {p.status !== 'succeeded'
                  ? 'Only succeeded payments can be refunded.'
                  : 'This payment has been refunded in full.'}
              </p>
            </>
          )}
        </section>
      </div>
    </Layout>
  );
}
