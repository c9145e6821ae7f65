/** The overview: balances per currency with their last payout, 30 days of volume, the latest payments. */
import { Hono } from 'hono';
import type { Payout } from '../api.js';
import type { AppEnv } from '../context-variables.js';
import { takeFlash } from '../session/session.js';
import { OverviewPage } from '../views/overview-page.js';
import { volumeSeries } from '../views/volume-chart.js';
import { page, userOf } from './render.js';

export const VOLUME_DAYS = 30;

export function overviewRoutes(deps: { now: () => number }) {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const api = c.get('api');
    // Independent reads run concurrently: the page costs one API round trip, not three.
    const [balances, volume, recent, payouts] = await Promise.all([
      api.balances(),
      api.volume(VOLUME_DAYS),
      api.listPayments({ limit: 5 }),
      // The newest payouts (one per currency and day) say where the available balance went.
      api.listPayouts(),
    ]);
    const lastPayouts = new Map<string, Payout>();
    for (const p of payouts.data) if (!lastPayouts.has(p.currency)) lastPayouts.set(p.currency, p);
    const series = volumeSeries(volume, VOLUME_DAYS, new Date(deps.now()));
    return page(
      c,
      <OverviewPage
        user={userOf(c)}
        flash={takeFlash(c)}
        locale={c.get('locale')}
        balances={balances}
        series={series}
        recent={recent.data}
        lastPayouts={lastPayouts}
      />,
    );
  });
  return app;
}
