/**
 * Dashboard page cost: time to first byte and bytes of the overview and the payments
 * list for a merchant with 10,000 payments, side by side with the raw API calls each page makes
 * (the overview's three reads run concurrently, as the page runs them; the list is one read).
 * Both sides go over real HTTP on loopback to the same API process and the same PostgreSQL.
 * Goals: page TTFB ≤ 1.5× the API calls' time; each page < 100 kB transferred.
 * `frontend.payments-list.proxy-floor` (no goal) is a bare pass-through server that forwards the
 * list's API call with the dashboard's own transport and returns the API's body: what any
 * server-rendered page calling this API over HTTP pays before it does any work of its own.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp as createApiApp, createMerchant, createMetrics } from '@payday/api';
import { createDatabase, migrateDatabase, newId } from '@payday/db';
import { startEmbeddedPostgres, THROWAWAY_SETTINGS } from '@payday/db/embedded';
import { payments } from '@payday/db/schema';
import { freePort } from '@payday/db/testing';
import { loadConfig, start as startFrontend, undiciExchange, withDeadline } from '@payday/frontend';
import { Hono } from 'hono';
import pino from 'pino';
import { absolute, type BenchSuite, compare, interleave, type Measurement, stats } from '../harness.js';

const DAY_MS = 86_400_000;

/** Time until the response headers arrive (TTFB) and the whole body, in ms, plus the body's bytes. */
async function timedGet(url: string, headers: Record<string, string>) {
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  const ttfb = performance.now() - t0;
  const body = new Uint8Array(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return { ttfb, total: performance.now() - t0, bytes: body.byteLength };
}

/** Serves `fetch` on a free loopback port; `close` ends its open connections too. */
async function serveOnLoopback(fetch: (request: Request) => Response | Promise<Response>) {
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function seedPayments(database: ReturnType<typeof createDatabase>, merchantId: string, n: number) {
  const now = Date.now();
  for (let start = 0; start < n; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(n, start + 1000); i++) {
      // Spread over the last 45 days (so the 30-day report has work to skip), 90 % succeeded.
      const createdAt = new Date(now - Math.floor(((n - i) / n) * 45 * DAY_MS));
      const succeeded = i % 10 !== 0;
      const amount = 500 + ((i * 7919) % 20_000);
      rows.push({
        id: newId('pay', createdAt.getTime()),
        merchantId,
        amount,
        currency: i % 5 === 0 ? 'eur' : 'usd',
        status: succeeded ? ('succeeded' as const) : ('failed' as const),
        failureCode: succeeded ? null : 'card_declined',
        description: `Order #${100_000 + i}`,
        paymentMethod: succeeded ? 'pm_card_visa' : 'pm_card_chargeDeclined',
        amountCaptured: succeeded ? amount : 0,
        createdAt,
        updatedAt: createdAt,
      });
    }
    await database.db.insert(payments).values(rows);
  }
}

const suite: BenchSuite = {
  name: 'frontend',
  description: 'Dashboard overview and payments list: TTFB and bytes vs the raw API calls behind them',
  async run(ctx) {
    const count = ctx.quick ? 300 : 10_000;
    const perRound = ctx.quick ? 3 : 20;
    ctx.progress('starting PostgreSQL');
    const pg = await startEmbeddedPostgres({
      dataDir: join(ctx.tmpDir, 'pg'),
      port: await freePort(),
      persistent: false,
      settings: THROWAWAY_SETTINGS,
    });
    const servers: { close(): Promise<void> }[] = [];
    try {
      await migrateDatabase(pg.url);
      const database = createDatabase(pg.url, { max: 10 });
      servers.push({ close: () => database.close() });
      const merchant = await createMerchant(database, {
        name: 'Bench merchant',
        email: 'bench@payday.test',
        password: 'bench password 123',
      });
      ctx.progress(`seeding ${count} payments`);
      await seedPayments(database, merchant.merchantId, count);
      // A merchant's 10,000 payments arrive over months, and autovacuum analyzes the table long
      // before they are all there (PostgreSQL 17 docs, "The Autovacuum Daemon": ANALYZE once
      // inserts exceed autovacuum_analyze_threshold + autovacuum_analyze_scale_factor × reltuples,
      // checked every autovacuum_naptime, 1 min). Seeded in one go and read at once, the table has
      // no statistics: the planner then guessed 25 rows for the merchant and read and sorted all
      // 10,000 for every list (3.9 ms), a plan production never runs, which made the API calls,
      // this suite's baseline, slower than they are (bench/README.md, "Frontend: where the time
      // goes").
      await database.sql`analyze`;

      const apiApp = createApiApp({
        database,
        logger: pino({ level: 'silent' }),
        metrics: createMetrics({ version: 'bench', defaultMetrics: false }),
        version: 'bench',
        lifecycle: { draining: false },
      });
      const apiServer = await serveOnLoopback(apiApp.fetch);
      servers.unshift(apiServer);
      const apiUrl = apiServer.url;
      const frontend = await startFrontend(
        loadConfig({
          FRONTEND_PORT: '0',
          FRONTEND_HOST: '127.0.0.1',
          API_URL: apiUrl,
          SESSION_SECRET: 'bench-session-secret-0123456789abcdefghijklmnop',
          LOG_LEVEL: 'silent',
          // Plain-HTTP loopback without a browser: the cookie must not need TLS.
          COOKIE_SECURE: 'false',
        }),
      );
      servers.unshift(frontend);

      // The floor: one route, the dashboard's transport and deadline, no session, no render.
      const transport = undiciExchange({ timeoutMs: 10_000 });
      servers.unshift({ close: () => transport.close() });
      const proxyApp = new Hono();
      proxyApp.get('/v1/payments', async (c) => {
        const answer = await withDeadline(
          transport.exchange,
          {
            method: 'GET',
            url: `${apiUrl}${c.req.path}?${new URL(c.req.url).searchParams}`,
            headers: { authorization: c.req.header('authorization') ?? '' },
          },
          10_000,
        );
        return c.body(answer.body, answer.status as 200, { 'content-type': 'application/json' });
      });
      const proxyServer = await serveOnLoopback(proxyApp.fetch);
      servers.unshift(proxyServer);
      const proxyUrl = proxyServer.url;

      // Sign in once on each side: a dashboard session cookie, and the API token it wraps.
      const loginPage = await fetch(`${frontend.url}/login`);
      const cookie0 = loginPage.headers.getSetCookie()[0]!.split(';')[0]!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())![1]!;
      const signIn = await fetch(`${frontend.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: cookie0, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          _csrf: csrf,
          email: 'bench@payday.test',
          password: 'bench password 123',
        }),
      });
      if (signIn.status !== 303) throw new Error(`dashboard sign-in failed: HTTP ${signIn.status}`);
      const pageHeaders = {
        cookie: signIn.headers.getSetCookie()[0]!.split(';')[0]!,
        'accept-language': 'en-US',
      };
      const login = await fetch(`${apiUrl}/v1/dashboard/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'bench@payday.test', password: 'bench password 123' }),
      });
      const { token } = (await login.json()) as { token: string };
      const apiHeaders = { authorization: `Bearer ${token}` };

      const pages = [
        {
          metric: 'frontend.overview',
          path: '/',
          calls: [
            '/v1/balance',
            '/v1/reports/volume?days=30',
            '/v1/payments?limit=5',
            '/v1/payouts?limit=25',
          ],
        },
        { metric: 'frontend.payments-list', path: '/payments', calls: ['/v1/payments?limit=25'] },
      ];
      const out: Measurement[] = [];
      for (const p of pages) {
        ctx.progress(`${p.metric}: ${ctx.rounds} interleaved rounds × ${perRound} requests`);
        // Warm up both paths (JIT, connection pools, PostgreSQL caches).
        for (let i = 0; i < 3; i++) {
          await timedGet(`${frontend.url}${p.path}`, pageHeaders);
          await Promise.all(p.calls.map((c) => timedGet(`${apiUrl}${c}`, apiHeaders)));
        }
        const bytes: number[] = [];
        const pair = await interleave(
          ctx.rounds,
          async () => {
            const ttfbs: number[] = [];
            for (let i = 0; i < perRound; i++) {
              const r = await timedGet(`${frontend.url}${p.path}`, pageHeaders);
              ttfbs.push(r.ttfb);
              bytes.push(r.bytes);
            }
            return stats(ttfbs).median;
          },
          async () => {
            const times: number[] = [];
            for (let i = 0; i < perRound; i++) {
              const t0 = performance.now();
              await Promise.all(p.calls.map((c) => timedGet(`${apiUrl}${c}`, apiHeaders)));
              times.push(performance.now() - t0);
            }
            return stats(times).median;
          },
        );
        out.push(
          compare(
            `${p.metric}.ttfb`,
            'ms',
            pair,
            `raw API calls (${p.calls.join(', ')})`,
            { op: '<=', value: 1.5 },
            `${count} payments; median of ${perRound} requests per round`,
          ),
        );
        out.push(
          absolute(
            `${p.metric}.bytes`,
            'bytes',
            stats(bytes),
            { op: '<=', value: 100_000 },
            'HTML body, uncompressed',
          ),
        );
      }

      const floorCall = '/v1/payments?limit=25';
      ctx.progress(
        `frontend.payments-list.proxy-floor: ${ctx.rounds} interleaved rounds × ${perRound} requests`,
      );
      for (let i = 0; i < 3; i++) {
        await timedGet(`${proxyUrl}${floorCall}`, apiHeaders);
        await timedGet(`${apiUrl}${floorCall}`, apiHeaders);
      }
      const floor = await interleave(
        ctx.rounds,
        async () => {
          const ttfbs: number[] = [];
          for (let i = 0; i < perRound; i++)
            ttfbs.push((await timedGet(`${proxyUrl}${floorCall}`, apiHeaders)).ttfb);
          return stats(ttfbs).median;
        },
        async () => {
          const times: number[] = [];
          for (let i = 0; i < perRound; i++) {
            const t0 = performance.now();
            await timedGet(`${apiUrl}${floorCall}`, apiHeaders);
            times.push(performance.now() - t0);
          }
          return stats(times).median;
        },
      );
      out.push(
        compare(
          'frontend.payments-list.proxy-floor',
          'ms',
          floor,
          `raw API call (${floorCall})`,
          undefined,
          "no goal: a bare server forwarding the list's API call with the dashboard's transport and returning its body (no session, no render); the least a server-rendered page over HTTP adds on this design",
        ),
      );
      return out;
    } finally {
      for (const s of servers) await s.close().catch(() => {});
      await pg.stop();
    }
  },
};

export default suite;
