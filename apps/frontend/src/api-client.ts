/**
 * `DashboardApi` backed by the typed client generated from the API's OpenAPI document
 * (`@payday/api/client`). Paths, parameters and bodies are checked by the compiler against the
 * API's own route schemas, so a change on one side breaks `tsc` here instead of a page at run time.
 * This module maps the API's snake_case objects to the dashboard's shapes and its error shape
 * (`{ error: { type, code, message, param } }`, Stripe style) to `ApiError`; a connection
 * failure, a timeout or a 502/503/504 becomes `ApiUnavailableError` (the "try again" page).
 * The client is openapi-fetch's, typed with the API's generated `paths`, built here rather than
 * with `createPaydayClient` because it is handed its request and answer objects (see below).
 */

import type { components, paths } from '@payday/api/client';
import createClient from 'openapi-fetch';
import {
  ApiError,
  type ApiKey,
  ApiUnavailableError,
  type CallContext,
  type Cursor,
  type DashboardApi,
  type MerchantApi,
  type Payment,
  type PaymentEvent,
  type Payout,
  type WebhookDelivery,
  type WebhookEndpoint,
} from './api.js';
import { type ApiAnswer, fetchExchange, undiciExchange, withDeadline } from './api-transport.js';

export interface DashboardApiOptions {
  baseUrl: string;
  /** Per-call timeout. */
  timeoutMs?: number;
  /** Replaces global fetch: tests pass one that calls the API app in-process. */
  fetch?: (request: Request) => Promise<Response>;
}

/** What `call` needs of openapi-fetch's result (its `response` is a `CallAnswer` below). */
type ApiResult<T> = { data?: T; error?: unknown; response: { ok: boolean; status: number } };

type CurrencyCode = components['schemas']['Payout']['currency'];

const UNAVAILABLE = new Set([502, 503, 504]);

async function call<T>(run: () => Promise<ApiResult<T>>): Promise<T> {
  let result: ApiResult<T>;
  try {
    result = await run();
  } catch (err) {
    throw new ApiUnavailableError(err);
  }
  const { data, error, response } = result;
  if (response.ok && data !== undefined) return data;
  if (response.ok) return undefined as T;
  if (UNAVAILABLE.has(response.status)) throw new ApiUnavailableError(new Error(`HTTP ${response.status}`));
  const e = (error as { error?: { code?: string; message?: string; param?: string } } | undefined)?.error;
  throw new ApiError(
    response.status,
    e?.code ?? 'unknown',
    e?.message ?? `The API answered HTTP ${response.status}`,
    e?.param,
  );
}

type ApiPayment = {
  id: string;
  amount: number;
  currency: string;
  status: Payment['status'];
  description: string | null;
  failure_code: string | null;
  amount_refunded: number;
  amount_refundable: number;
  created_at: string;
};

function payment(p: ApiPayment): Payment {
  return {
    id: p.id,
    amount: p.amount,
    currency: p.currency,
    status: p.status,
    description: p.description,
    failureCode: p.failure_code,
    amountRefunded: p.amount_refunded,
    amountRefundable: p.amount_refundable,
    createdAt: p.created_at,
  };
}

function endpoint(e: {
  id: string;
  url: string;
  enabled_events: string[];
  status: string;
  created_at: string;
  previous_secret_expires_at: string | null;
  secret?: string | undefined;
}): WebhookEndpoint {
  return {
    id: e.id,
    url: e.url,
    enabledEvents: e.enabled_events.filter((t) => t !== '*'),
    status: e.status,
    createdAt: e.created_at,
    previousSecretExpiresAt: e.previous_secret_expires_at,
    ...(e.secret ? { secret: e.secret } : {}),
  };
}

function apiKey(k: {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  secret?: string | undefined;
}): ApiKey {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    createdAt: k.created_at,
    revokedAt: k.revoked_at,
    lastUsedAt: k.last_used_at,
    ...(k.secret ? { secret: k.secret } : {}),
  };
}

function payout(p: {
  id: string;
  amount: number;
  currency: string;
  settlement_date: string;
  status: Payout['status'];
  created_at: string;
}): Payout {
  return {
    id: p.id,
    amount: p.amount,
    currency: p.currency,
    settlementDate: p.settlement_date,
    status: p.status,
    createdAt: p.created_at,
  };
}

/** Rows per page of every dashboard list (the payments list uses the same size). */
export const LIST_PAGE_SIZE = 25;

/** Query parameters for a page: the API's own names (docs.stripe.com/api/pagination). */
function pageQuery(cursor: Cursor = {}) {
  return {
    limit: LIST_PAGE_SIZE,
    ...(cursor.startingAfter ? { starting_after: cursor.startingAfter } : {}),
    ...(cursor.endingBefore ? { ending_before: cursor.endingBefore } : {}),
  };
}

/** A payment's whole timeline can exceed one API page (many partial refunds): follow has_more. */
const EVENTS_PER_CALL = 100;

function delivery(d: {
  id: string;
  event: string;
  event_type: string | null;
  attempt: number;
  status: string;
  http_status: number | null;
  duration_ms: number | null;
  error: string | null;
  created_at: string;
}): WebhookDelivery {
  return {
    id: d.id,
    eventId: d.event,
    eventType: d.event_type,
    attempt: d.attempt,
    status: d.status,
    httpStatus: d.http_status,
    durationMs: d.duration_ms,
    error: d.error,
    createdAt: d.created_at,
  };
}

const PING_TIMEOUT_MS = 1000;

/**
 * The request openapi-fetch builds for each call (its `Request` option: "a custom Request
 * class"), handed straight to the transport. openapi-fetch reads back only `method`; a WHATWG
 * Request would add an AbortSignal, a header copy and a body stream per call that the transport
 * only unwraps again. Bodies are the JSON strings openapi-fetch's default serializer makes.
 */
class OutgoingCall {
  readonly method: string;
  readonly headers: Headers;
  readonly body: string | undefined;
  constructor(
    readonly url: string,
    init: { method?: string; headers?: Headers; body?: unknown },
  ) {
    if (init.body !== undefined && typeof init.body !== 'string') {
      throw new TypeError('The API client sends JSON bodies only');
    }
    this.method = init.method ?? 'GET';
    this.headers = init.headers ?? new Headers();
    this.body = init.body;
  }
}

/**
 * The answer handed back to openapi-fetch, which reads `status`, `ok`, `headers.get()` and
 * `text()` / `json()` (openapi-fetch 0.17 `coreFetch`); `call` above reads `ok` and `status`.
 * The body was read within the call's deadline, so nothing here can wait on the network.
 */
class CallAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  readonly #body: string;
  constructor(answer: ApiAnswer) {
    this.status = answer.status;
    this.ok = answer.status >= 200 && answer.status < 300;
    this.#body = answer.body;
    const raw = answer.headers;
    this.headers = {
      get(name) {
        const value = raw[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    };
  }
  async text() {
    return this.#body;
  }
  async json() {
    return JSON.parse(this.#body) as unknown;
  }
}

export function createDashboardApi(options: DashboardApiOptions): DashboardApi {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const transport = options.fetch
    ? { exchange: fetchExchange(options.fetch), close: async () => {} }
    : undiciExchange({ timeoutMs });
  const exchange = transport.exchange;
  const baseUrl = options.baseUrl.replace(/\/$/, '');
  // Every call gets its own deadline (a hung API shows the "unavailable" page, not a spinner)
  // and carries the dashboard's request id, which the API adopts as its own (X-Request-Id).
  const sendFor = (context: CallContext) => async (call: OutgoingCall) => {
    const headers: Record<string, string> = {};
    call.headers.forEach((value, name) => {
      headers[name] = value;
    });
    if (context.requestId) headers['x-request-id'] = context.requestId;
    const request = { method: call.method, url: call.url, headers, body: call.body };
    return new CallAnswer(await withDeadline(exchange, request, timeoutMs));
  };
  // The typed client: paths, parameters and bodies are checked by tsc against the API's
  // OpenAPI document (`@payday/api/client`); only the request and answer objects are ours.
  const client = (token: string | undefined, context: CallContext) =>
    createClient<paths>({
      baseUrl,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      Request: OutgoingCall as unknown as typeof Request,
      fetch: sendFor(context) as unknown as (request: Request) => Promise<Response>,
    });

  return {
    close: () => transport.close(),
    async login(email, password, context = {}) {
      const s = await call(() =>
        client(undefined, context).POST('/v1/dashboard/login', { body: { email, password } }),
      );
      return { token: s.token, expiresAt: s.expires_at, email: s.email, merchantName: s.merchant_name };
    },
    async ping(signal) {
      try {
        const answer = await withDeadline(
          exchange,
          { method: 'GET', url: `${baseUrl}/healthz`, headers: {} },
          // Probes have short timeouts of their own (Kubernetes' default is 1 s).
          Math.min(timeoutMs, PING_TIMEOUT_MS),
          signal,
        );
        return answer.status >= 200 && answer.status < 300;
      } catch {
        return false;
      }
    },
    forToken(token, context = {}): MerchantApi {
      const c = client(token, context);
      return {
        async balances() {
          const b = await call(() => c.GET('/v1/balance'));
          const byCurrency = new Map<string, { currency: string; available: number; pending: number }>();
          const row = (currency: string) => {
            const r = byCurrency.get(currency) ?? { currency, available: 0, pending: 0 };
            byCurrency.set(currency, r);
            return r;
          };
          for (const a of b.available) row(a.currency).available += a.amount;
          for (const p of b.pending) row(p.currency).pending += p.amount;
          return [...byCurrency.values()].sort((x, y) => x.currency.localeCompare(y.currency));
        },
        async volume(days) {
          const v = await call(() => c.GET('/v1/reports/volume', { params: { query: { days } } }));
          return v.data;
        },
        async listPayments(f) {
          const page = await call(() =>
            c.GET('/v1/payments', {
              params: {
                query: {
                  limit: f.limit,
                  ...(f.status ? { status: f.status } : {}),
                  ...(f.createdFrom ? { created_gte: f.createdFrom } : {}),
                  ...(f.createdTo ? { created_lt: f.createdTo } : {}),
                  ...(f.startingAfter ? { starting_after: f.startingAfter } : {}),
                  ...(f.endingBefore ? { ending_before: f.endingBefore } : {}),
                },
              },
            }),
          );
          return { data: page.data.map(payment), hasMore: page.has_more };
        },
        async getPayment(id) {
          return payment(await call(() => c.GET('/v1/payments/{id}', { params: { path: { id } } })));
        },
        async paymentEvents(id) {
          const all: { id: string; type: string; created_at: string }[] = [];
          for (let startingAfter: string | undefined; ; ) {
            const after = startingAfter;
            const page = await call(() =>
              c.GET('/v1/payments/{id}/events', {
                params: {
                  path: { id },
                  query: { limit: EVENTS_PER_CALL, ...(after ? { starting_after: after } : {}) },
                },
              }),
            );
            all.push(...page.data);
            if (!page.has_more || page.data.length === 0) break;
            startingAfter = page.data[page.data.length - 1]!.id;
          }
          return all
            .map((e: { id: string; type: string; created_at: string }) => ({
              id: e.id,
              type: e.type,
              createdAt: e.created_at,
            }))
            .sort(
              (a: PaymentEvent, b: PaymentEvent) =>
                a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
            );
        },
        async refund(paymentId, amount, idempotencyKey) {
          const r = await call(() =>
            c.POST('/v1/refunds', {
              params: { header: { 'idempotency-key': idempotencyKey } },
              body: { payment: paymentId, amount },
            }),
          );
          return { id: r.id, amount: r.amount, currency: r.currency, createdAt: r.created_at };
        },
        async listWebhookEndpoints(cursor) {
          const page = await call(() =>
            c.GET('/v1/webhook_endpoints', { params: { query: pageQuery(cursor) } }),
          );
          return { data: page.data.map(endpoint), hasMore: page.has_more };
        },
        async createWebhookEndpoint(input, idempotencyKey) {
          return endpoint(
            await call(() =>
              c.POST('/v1/webhook_endpoints', {
                params: { header: { 'idempotency-key': idempotencyKey } },
                body: {
                  url: input.url,
                  enabled_events: input.enabledEvents?.length ? input.enabledEvents : ['*'],
                },
              }),
            ),
          );
        },
        async getWebhookEndpoint(id) {
          return endpoint(
            await call(() => c.GET('/v1/webhook_endpoints/{id}', { params: { path: { id } } })),
          );
        },
        async listDeliveries(endpointId, cursor) {
          const page = await call(() =>
            c.GET('/v1/webhook_endpoints/{id}/deliveries', {
              params: { path: { id: endpointId }, query: pageQuery(cursor) },
            }),
          );
          return { data: page.data.map(delivery), hasMore: page.has_more };
        },
        async rotateWebhookSecret(id, overlapSeconds, idempotencyKey) {
          return endpoint(
            await call(() =>
              c.POST('/v1/webhook_endpoints/{id}/rotate_secret', {
                params: { path: { id }, header: { 'idempotency-key': idempotencyKey } },
                body: { expires_in_seconds: overlapSeconds },
              }),
            ),
          );
        },
        async resendDelivery(endpointId, deliveryId) {
          const r = await call(() =>
            c.POST('/v1/webhook_endpoints/{id}/deliveries/{delivery}/resend', {
              params: { path: { id: endpointId, delivery: deliveryId } },
            }),
          );
          return r.action;
        },
        async listApiKeys(cursor) {
          const page = await call(() => c.GET('/v1/api_keys', { params: { query: pageQuery(cursor) } }));
          return { data: page.data.map(apiKey), hasMore: page.has_more };
        },
        async listPayouts(cursor, currency) {
          const page = await call(() =>
            c.GET('/v1/payouts', {
              params: {
                query: {
                  ...pageQuery(cursor),
                  ...(currency ? { currency: currency as CurrencyCode } : {}),
                },
              },
            }),
          );
          return { data: page.data.map(payout), hasMore: page.has_more };
        },
        async getPayout(id) {
          return payout(await call(() => c.GET('/v1/payouts/{id}', { params: { path: { id } } })));
        },
        async createApiKey(name, idempotencyKey) {
          return apiKey(
            await call(() =>
              c.POST('/v1/api_keys', {
                params: { header: { 'idempotency-key': idempotencyKey } },
                body: { name },
              }),
            ),
          );
        },
        async rollApiKey(id) {
          return apiKey(
            await call(() =>
              c.POST('/v1/api_keys/{id}/roll', {
                // No grace period: rolling from the dashboard is for a key that may have leaked.
                params: { path: { id } },
                body: { expires_in_seconds: 0 },
              }),
            ),
          );
        },
        async revokeApiKey(id) {
          await call(() => c.POST('/v1/api_keys/{id}/revoke', { params: { path: { id } } }));
        },
        async logout() {
          await call(() => c.POST('/v1/dashboard/logout'));
        },
      };
    },
  };
}
