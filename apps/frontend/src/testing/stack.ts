/**
 * The real stack for the dashboard's tests: a fresh migrated database (`createTestDatabase()`),
 * the real API app (`createApp` from apps/api) and the dashboard whose typed client calls the
 * API in-process (`apiApp.request`), or, for the browser tests, both served on loopback ports.
 * Seeding goes through the API where the API can do it, and through the same domain operations
 * the worker uses (`completePayment`) where the worker would.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp as createApiApp, createMetrics as createApiMetrics, createMerchant } from '@payday/api';
import { completePayment, createDatabase, type Database } from '@payday/db';
import { jobs, webhookDeliveries } from '@payday/db/schema';
import {
  createTestDatabase,
  freePort,
  insertMerchant,
  insertPayment,
  type TestDatabase,
} from '@payday/db/testing';
import { and, eq, sql } from 'drizzle-orm';
import pino from 'pino';
import type { DashboardApi } from '../api.js';
import { createDashboardApi } from '../api-client.js';
import { type AppConfig, createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { start } from '../server.js';
import { createSealer } from '../session/sealed-cookie.js';
import { cookieName, type SessionData } from '../session/session.js';
import type { DashboardClient } from './dashboard-client.js';

export const TEST_CONFIG: AppConfig = {
  sessionSecrets: ['test-session-secret-that-is-long-enough-0123456789'],
  sessionTtlSeconds: 600,
  cookieSecure: true,
  loginMaxFailures: 5,
  loginWindowSeconds: 15 * 60,
  trustProxy: false,
  version: 'test',
};

const API_ORIGIN = 'http://api.test';

export interface Merchant {
  id: string;
  name: string;
  email: string;
  password: string;
  apiKey: string;
}

export interface PaymentSeed {
  amount: number;
  currency: string;
  description?: string;
  /** Default `succeeded`; `false` leaves it pending, as before the worker runs. */
  outcome?: 'succeeded' | 'failed';
  process?: boolean;
}

export interface TestStack {
  app: ReturnType<typeof createApp>;
  apiApp: ReturnType<typeof createApiApp>;
  dashboardApi: DashboardApi;
  database: Database;
  merchant: Merchant;
  config: AppConfig;
  /** The dashboard's clock: tests move it to expire sessions and rate-limit windows. */
  clock: { now(): number; advance(ms: number): void };
  /** A raw API call, authenticated with the merchant's API key unless another token is given. */
  api(path: string, init?: RequestInit, token?: string): Promise<Response>;
  createPayment(seed: PaymentSeed): Promise<string>;
  paymentJson(id: string): Promise<{ amount_refunded: number; amount_refundable: number }>;
  createOtherMerchantPayment(): Promise<string>;
  /** A webhook endpoint with one failed delivery attempt, as the worker would record it. */
  createDelivery(url: string): Promise<{ endpointId: string; deliveryId: string; eventId: string }>;
  /** Statuses of the `webhook.deliver` jobs for one event and endpoint. */
  deliveryJobs(eventId: string, endpointId: string): Promise<string[]>;
  /** The API token inside a client's sealed session cookie. */
  tokenOf(client: DashboardClient): string;
  close(): Promise<void>;
}

async function seedMerchant(database: Database): Promise<Merchant> {
  const name = 'Blue Mug Coffee';
  const email = 'owner@bluemug.test';
  const password = 'correct horse battery staple';
  const created = await createMerchant(database, { name, email, password });
  return { id: created.merchantId, name, email, password, apiKey: created.apiKey.secret };
}

export async function startTestStack(overrides: Partial<AppConfig> = {}): Promise<TestStack> {
  const testDb: TestDatabase = await createTestDatabase();
  const database = createDatabase(testDb.url, { max: 10 });
  const logger = pino({ level: 'silent' });
  const apiApp = createApiApp({
    database,
    logger,
    metrics: createApiMetrics({ version: 'test', defaultMetrics: false }),
    version: 'test',
    lifecycle: { draining: false },
  });
  const merchant = await seedMerchant(database);
  const config = { ...TEST_CONFIG, ...overrides };
  let offset = 0;
  const clock = {
    now: () => Date.now() + offset,
    advance(ms: number) {
      offset += ms;
    },
  };
  const dashboardApi = createDashboardApi({
    baseUrl: API_ORIGIN,
    fetch: async (request) => apiApp.request(request),
  });
  const app = createApp({ api: dashboardApi, config, now: clock.now });
  const sealer = createSealer(config.sessionSecrets);

  const api = (path: string, init: RequestInit = {}, token = merchant.apiKey) =>
    Promise.resolve(
      apiApp.request(`${API_ORIGIN}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...(init.headers ?? {}),
        },
      }),
    );

  async function createPayment(seed: PaymentSeed): Promise<string> {
    const res = await api('/v1/payments', {
      method: 'POST',
      body: JSON.stringify({
        amount: seed.amount,
        currency: seed.currency,
        ...(seed.description ? { description: seed.description } : {}),
        payment_method: seed.outcome === 'failed' ? 'pm_card_chargeDeclined' : 'pm_card_visa',
      }),
    });
    if (res.status !== 200) throw new Error(`create payment: ${res.status} ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };
    if (seed.process !== false) {
      await database.db.transaction((tx) =>
        completePayment(
          tx,
          id,
          seed.outcome === 'failed'
            ? { status: 'failed', failureCode: 'card_declined' }
            : { status: 'succeeded' },
        ),
      );
    }
    return id;
  }

  return {
    app,
    apiApp,
    dashboardApi,
    database,
    merchant,
    config,
    clock,
    api,
    createPayment,
    async paymentJson(id) {
      return (await (await api(`/v1/payments/${id}`)).json()) as {
        amount_refunded: number;
        amount_refundable: number;
      };
    },
    async createOtherMerchantPayment() {
      const other = await insertMerchant(database, 'Someone else');
      return insertPayment(database, other, 777);
    },
    async createDelivery(url) {
      const res = await api('/v1/webhook_endpoints', { method: 'POST', body: JSON.stringify({ url }) });
      const endpoint = (await res.json()) as { id: string };
      const paymentId = await createPayment({ amount: 1234, currency: 'usd', process: false });
      const events = (await (await api(`/v1/payments/${paymentId}/events`)).json()) as {
        data: { id: string }[];
      };
      const eventId = events.data[0]!.id;
      const [d] = await database.db
        .insert(webhookDeliveries)
        .values({
          endpointId: endpoint.id,
          eventId,
          attempt: 1,
          status: 'failed',
          httpStatus: 500,
          durationMs: 42,
          error: 'HTTP 500',
        })
        .returning({ id: webhookDeliveries.id });
      // As after the worker gave up: the delivery job for this event and endpoint is dead.
      await database.db
        .update(jobs)
        .set({ status: 'dead' })
        .where(
          and(
            eq(jobs.type, 'webhook.deliver'),
            sql`${jobs.payload}->>'event_id' = ${eventId}`,
            sql`${jobs.payload}->>'endpoint_id' = ${endpoint.id}`,
          ),
        );
      return { endpointId: endpoint.id, deliveryId: d!.id, eventId };
    },
    async deliveryJobs(eventId, endpointId) {
      const rows = await database.db
        .select({ status: jobs.status })
        .from(jobs)
        .where(
          and(
            eq(jobs.type, 'webhook.deliver'),
            sql`${jobs.payload}->>'event_id' = ${eventId}`,
            sql`${jobs.payload}->>'endpoint_id' = ${endpointId}`,
          ),
        );
      return rows.map((r) => r.status).sort();
    },
    tokenOf(client) {
      const raw = client.cookies.get(cookieName(config.cookieSecure));
      const session = raw ? (sealer.open(raw) as SessionData | undefined) : undefined;
      if (!session?.token) throw new Error('the client has no signed-in session');
      return session.token;
    },
    async close() {
      await database.close();
      await testDb.drop();
    },
  };
}

export interface ServedStack extends TestStack {
  apiUrl: string;
  frontendUrl: string;
}

/** The same stack with the API and the dashboard on loopback ports (browser tests). */
export async function serveTestStack(): Promise<ServedStack> {
  const stack = await startTestStack();
  const apiServer = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: stack.apiApp.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(s as Server),
    );
  });
  const apiUrl = `http://127.0.0.1:${(apiServer.address() as AddressInfo).port}`;
  const frontend = await start(
    loadConfig({
      FRONTEND_PORT: '0',
      FRONTEND_HOST: '127.0.0.1',
      API_URL: apiUrl,
      SESSION_SECRET: TEST_CONFIG.sessionSecrets[0],
      LOG_LEVEL: 'silent',
      APP_VERSION: 'test',
    }),
  );
  return {
    ...stack,
    apiUrl,
    frontendUrl: frontend.url,
    async close() {
      await frontend.close();
      await new Promise<void>((resolve) => {
        apiServer.close(() => resolve());
        apiServer.closeAllConnections();
      });
      await stack.close();
    },
  };
}

/** A loopback port nothing listens on ("API unavailable"). */
export const closedPort = freePort;
