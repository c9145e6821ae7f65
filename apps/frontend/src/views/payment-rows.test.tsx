import { describe, expect, it } from 'vitest';
import type { Payment } from '../api.js';
import { formatDateTime } from '../format/locale.js';
import { Money, StatusBadge } from './components.js';
import { paymentRows } from './payment-rows.js';

/** The JSX these rows were rendered with before payment-rows.ts: the markup must not change. */
function JsxRows({ payments, locale }: { payments: Payment[]; locale: string }) {
  return (
    <tbody>
      {payments.map((p) => (
        <tr>
          <td class="num">
            <a href={`/payments/${encodeURIComponent(p.id)}`}>
              <Money amount={p.amount} currency={p.currency} locale={locale} />
              <span class="visually-hidden"> payment {p.id}</span>
            </a>
          </td>
          <td>
            <StatusBadge status={p.status} />
            {p.amountRefunded > 0 ? (
              <span class="hint">
                {' '}
                <Money amount={p.amountRefunded} currency={p.currency} locale={locale} /> refunded
              </span>
            ) : null}
          </td>
          <td>{p.description ?? ''}</td>
          <td class="mono hide-narrow">{p.id}</td>
          <td class="hide-narrow">{formatDateTime(p.createdAt, locale)}</td>
        </tr>
      ))}
    </tbody>
  );
}

const base: Payment = {
  id: 'pay_01JXAAAAAAAAAAAAAAAAAAAAAA',
  amount: 1050,
  currency: 'usd',
  status: 'succeeded',
  description: 'Order #1',
  failureCode: null,
  amountRefunded: 0,
  amountRefundable: 1050,
  createdAt: '2026-11-03T23:30:00.000Z',
};

const payments: Payment[] = [
  base,
  { ...base, id: 'pay_"quoted"&<b>', description: `<script>alert("x")</script> & 'single'` },
  { ...base, currency: 'eur', amount: 123456, amountRefunded: 456, status: 'succeeded' },
  {
    ...base,
    currency: 'jpy',
    amount: 500,
    description: null,
    status: 'failed',
    failureCode: 'card_declined',
  },
  { ...base, status: 'weird-Status<x>' as Payment['status'], description: '' },
];

describe('paymentRows', () => {
  it('renders exactly what the JSX rendered, escaping included', () => {
    for (const locale of ['en-US', 'de-DE']) {
      const expected = String(<JsxRows payments={payments} locale={locale} />);
      expect(String(<tbody>{paymentRows(payments, locale)}</tbody>)).toBe(expected);
    }
  });

  it('escapes what the API sends: no markup from a description or an id gets through', () => {
    const out = String(<tbody>{paymentRows(payments.slice(1, 2), 'en-US')}</tbody>);
    expect(out).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;single&#39;');
    expect(out).toContain('href="/payments/pay_%22quoted%22%26%3Cb%3E"');
    expect(out).toContain('<td class="mono hide-narrow">pay_&quot;quoted&quot;&amp;&lt;b&gt;</td>');
    expect(out).not.toContain('<script>');
  });

  it('renders nothing for no payments', () => {
    expect(String(<tbody>{paymentRows([], 'en-US')}</tbody>)).toBe('<tbody></tbody>');
  });
});
