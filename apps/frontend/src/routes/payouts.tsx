/**
 * Payouts: where the available balance went. The daily settlement moves captured money from
 * pending to available and pays all of it out (apps/worker/README.md, "Settlement"), so this is
 * the list a merchant needs next to an "Available 0.00" balance.
 */
import { Hono } from 'hono';
import { ApiError, type Page, type Payout } from '../api.js';
import type { AppEnv } from '../context-variables.js';
import { parseCursor } from '../params/cursor.js';
import { takeFlash } from '../session/session.js';
import { PayoutDetailPage } from '../views/payout-detail-page.js';
import { PayoutsPage } from '../views/payouts-page.js';
import { page, userOf } from './render.js';

const CURRENCY = /^[a-z]{3}$/;

export function payoutRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/payouts', async (c) => {
    const query = c.req.query();
    const cursor = parseCursor(query, 'po');
    const currency = query.currency?.toLowerCase() ?? '';
    const render = (payouts: Page<Payout>, error?: string) =>
      page(
        c,
        <PayoutsPage
          user={userOf(c)}
          flash={takeFlash(c)}
          locale={c.get('locale')}
          payouts={payouts.data}
          paging={{ cursor, hasMore: payouts.hasMore }}
          currency={error ? '' : currency}
          {...(error ? { error } : {})}
        />,
        error ? 400 : 200,
      );
    const refused = `There are no payouts in “${query.currency}”: use a three-letter currency code such as USD.`;
    if (currency && !CURRENCY.test(currency)) return render({ data: [], hasMore: false }, refused);
    try {
      return render(await c.get('api').listPayouts(cursor, currency || undefined));
    } catch (err) {
      // A well-formed code the API does not know (ISO 4217 has no "xyz").
      if (err instanceof ApiError && err.status === 400 && err.param === 'currency') {
        return render({ data: [], hasMore: false }, refused);
      }
      throw err;
    }
  });

  app.get('/payouts/:id', async (c) => {
    const payout = await c.get('api').getPayout(c.req.param('id'));
    return page(
      c,
      <PayoutDetailPage user={userOf(c)} flash={takeFlash(c)} locale={c.get('locale')} payout={payout} />,
    );
  });

  return app;
}
