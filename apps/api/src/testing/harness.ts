import { completePayment, type Database } from '@payday/db';
import { openTestDatabase } from '@payday/db/testing';
import pino, { type Logger } from 'pino';
import { createApp } from '../app.js';
import { createMetrics } from '../http/metrics.js';
import { RateLimiter } from '../http/rate-limit.js';
import type { WebhookUrlPolicy } from '../http/webhook-url.js';
import { type CreatedMerchant, createMerchant } from '../services/merchants.js';

/** The parsed JSON body of a response (tests read fields freely). */
// biome-ignore lint/suspicious/noExplicitAny: test helper, bodies are asserted field by field
export const readJson = (res: Response): Promise<any> => res.json();

export interface TestApi {
  database: Database;
  app: ReturnType<typeof createApp>;
  lifecycle: { draining: boolean };
  /** Calls the app in-process (no port) with a JSON body and a Bearer token. */
  call(
    method: string,
    path: string,
    options?: { token?: string | undefined; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<Response>;
  /** Same, parsing the JSON answer. */
  // biome-ignore lint/suspicious/noExplicitAny: test helper, bodies are asserted field by field
  json<T = any>(
    method: string,
    path: string,
    options?: { token?: string | undefined; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: T; headers: Headers }>;
  merchant(name?: string, login?: { email: string; password: string }): Promise<CreatedMerchant>;
  /** Runs what the worker's `payment.process` would: moves the payment to its outcome. */
  settle(paymentId: string, outcome?: 'succeeded' | 'failed'): Promise<void>;
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

/** A real migrated database of its own and the API app on top, for one test file. */
export async function createTestApi(
  options: {
    rateLimitPerSecond?: number;
    credentialCacheMs?: number;
    logger?: Logger;
    authFailureLimiter?: RateLimiter;
    trustProxy?: boolean;
    webhookUrls?: WebhookUrlPolicy;
  } = {},
): Promise<TestApi> {
  const t = await openTestDatabase();
  const lifecycle = { draining: false };
  const app = createApp({
    database: t,
    logger: options.logger ?? pino({ level: 'silent' }),
    metrics: createMetrics({ version: 'test', defaultMetrics: false }),
    version: 'test',
    lifecycle,
    rateLimiter: new RateLimiter(options.rateLimitPerSecond ?? 0),
    ...(options.authFailureLimiter ? { authFailureLimiter: options.authFailureLimiter } : {}),
    trustProxy: options.trustProxy ?? false,
    ...(options.webhookUrls ? { webhookUrls: options.webhookUrls } : {}),
    // Off by default: tests change credentials with SQL behind the API's back.
    credentialCacheMs: options.credentialCacheMs ?? 0,
  });
  const call: TestApi['call'] = (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.raw !== undefined) body = o.raw;
    else if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    return Promise.resolve(app.request(path, { method, headers, ...(body === undefined ? {} : { body }) }));
  };
  return {
    database: t,
    app,
    lifecycle,
    call,
    async json<T>(method: string, path: string, o?: Parameters<TestApi['json']>[2]) {
      const res = await call(method, path, o);
      return { status: res.status, body: (await res.json()) as T, headers: res.headers };
    },
    merchant: (name = 'Acme', login) => createMerchant(t, { name, ...login }),
    async settle(paymentId, outcome = 'succeeded') {
      await t.db.transaction((tx) =>
        completePayment(
          tx,
          paymentId,
          outcome === 'succeeded'
            ? { status: 'succeeded' }
            : { status: 'failed', failureCode: 'card_declined' },
        ),
      );
    },
    async count(table) {
      const [row] = await t.sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${table}`);
      return row!.n;
    },
    close: () => t.cleanup(),
  };
}
