/** Payments: the filtered, paginated list; one payment with its events; refunds. */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { ApiError, type MerchantApi, type Payment } from '../api.js';
import type { AppEnv } from '../context-variables.js';
import { formatMoney, parseMoneyInput } from '../format/money.js';
import { formIdempotencyKey } from '../params/form-key.js';
import { parsePaymentFilter } from '../params/payment-filter.js';
import { setFlash, takeFlash } from '../session/session.js';
import { PaymentDetailPage } from '../views/payment-detail-page.js';
import { PaymentsPage } from '../views/payments-page.js';
import { formOf, page, seeOther, userOf } from './render.js';

async function detail(api: MerchantApi, id: string) {
  const [payment, events] = await Promise.all([api.getPayment(id), api.paymentEvents(id)]);
  return { payment, events };
}

export function paymentRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/payments', async (c) => {
    const parsed = parsePaymentFilter(c.req.query());
    const invalid = Object.keys(parsed.errors).length > 0;
    const result = invalid ? { data: [], hasMore: false } : await c.get('api').listPayments(parsed.filter);
    return page(
      c,
      <PaymentsPage
        user={userOf(c)}
        flash={takeFlash(c)}
        locale={c.get('locale')}
        parsed={parsed}
        payments={result.data}
        hasMore={result.hasMore}
      />,
      invalid ? 400 : 200,
    );
  });

  app.get('/payments/:id', async (c) => {
    const { payment, events } = await detail(c.get('api'), c.req.param('id'));
    return page(
      c,
      <PaymentDetailPage
        user={userOf(c)}
        flash={takeFlash(c)}
        locale={c.get('locale')}
        payment={payment}
        events={events}
        idempotencyKey={randomUUID()}
      />,
    );
  });

  app.post('/payments/:id/refunds', async (c) => {
    const api = c.get('api');
    const id = c.req.param('id');
    const form = await formOf(c);
    const payment = await api.getPayment(id);
    const locale = c.get('locale');
    const rerender = async (error: string, status: 400 | 409 | 422) => {
      const events = await api.paymentEvents(id);
      return page(
        c,
        <PaymentDetailPage
          user={userOf(c)}
          locale={locale}
          payment={payment}
          events={events}
          idempotencyKey={randomUUID()}
          refund={{ amount: form.amount ?? '', error }}
        />,
        status,
      );
    };
    const parsed = parseMoneyInput(form.amount ?? '', payment.currency);
    if ('error' in parsed) return rerender(parsed.error, 400);
    if (parsed.amount > payment.amountRefundable) {
      return rerender(refundLimitMessage(payment, locale), 422);
    }
    // The key comes from the form, so a double click or a resubmitted form refunds once
    // (Idempotency-Key semantics, docs/design/apps.md §Idempotency).
    const key = formIdempotencyKey(form.idempotency_key);
    try {
      await api.refund(id, parsed.amount, key);
    } catch (err) {
      if (
        err instanceof ApiError &&
        err.status >= 400 &&
        err.status < 500 &&
        err.status !== 401 &&
        err.status !== 404
      ) {
        const latest = await api.getPayment(id);
        const message =
          parsed.amount > latest.amountRefundable ? refundLimitMessage(latest, locale) : err.message;
        Object.assign(payment, latest);
        return rerender(message, err.status === 409 ? 409 : 422);
      }
      throw err;
    }
    setFlash(c, {
      kind: 'success',
      text: `Refunded ${formatMoney(parsed.amount, payment.currency, locale)}.`,
    });
    return seeOther(c, `/payments/${encodeURIComponent(id)}`);
  });

  return app;
}

function refundLimitMessage(p: Payment, locale: string): string {
  return p.amountRefundable > 0
    ? `You can refund at most ${formatMoney(p.amountRefundable, p.currency, locale)} of this payment.`
    : 'This payment has nothing left to refund.';
}
