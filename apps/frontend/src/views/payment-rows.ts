/**
 * The rows of a payments table (the list page's 25, the overview's latest five), rendered with
 * hono's `html` template instead of JSX. The template escapes every interpolated value with the
 * same function hono/jsx uses for text and attributes (hono `utils/html.ts`, `escapeToBuffer`), so
 * the markup is byte for byte what the JSX rendered (payment-rows.test.tsx proves it against the
 * JSX it replaced). hono/jsx spends about a microsecond on each element; with twelve elements a
 * row that was a quarter of a millisecond per list page (bench/README.md, "Frontend: where the
 * time goes").
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Payment } from '../api.js';
import { formatDateTime } from '../format/locale.js';
import { formatMoney } from '../format/money.js';
import { badgeClass, statusLabel } from './components.js';

function row(p: Payment, locale: string) {
  // The amount is the way in (the id column is hidden on a phone); the link's name still carries
  // the id so each one is unique to a screen reader.
  const refunded =
    p.amountRefunded > 0
      ? html`<span class="hint"> <span class="money">${formatMoney(p.amountRefunded, p.currency, locale)}</span> refunded</span>`
      : '';
  return html`<tr><td class="num"><a href="/payments/${encodeURIComponent(p.id)}"><span class="money">${formatMoney(p.amount, p.currency, locale)}</span><span class="visually-hidden"> payment ${p.id}</span></a></td><td><span class="${badgeClass(p.status)}">${statusLabel(p.status)}</span>${refunded}</td><td>${p.description ?? ''}</td><td class="mono hide-narrow">${p.id}</td><td class="hide-narrow">${formatDateTime(p.createdAt, locale)}</td></tr>`;
}

/** `<tr>`s for a `<tbody>`, one per payment, newest first as given. */
export function paymentRows(payments: readonly Payment[], locale: string) {
  return html`${payments.map((p) => row(p, locale))}` as HtmlEscapedString;
}
