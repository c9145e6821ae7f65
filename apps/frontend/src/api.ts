/**
 * What the dashboard needs from the Payday API, in the dashboard's own words. The only
 * implementation is `api-client.ts`, which backs it with the typed client generated from the
 * API's OpenAPI document (`@payday/api/client`); the dashboard never touches the database.
 * Keeping this seam narrow lets pages be written against plain data shapes.
 */

/** A list page (Stripe-style cursor pagination, docs.stripe.com/api/pagination). */
export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

/**
 * Which page of a list to fetch: none for the newest, `startingAfter` (an id on the page before)
 * for older objects, `endingBefore` for newer ones.
 */
export interface Cursor {
  startingAfter?: string;
  endingBefore?: string;
}

export interface Balance {
  currency: string;
  /** Minor units. */
  available: number;
  pending: number;
}

export interface VolumeDay {
  /** `YYYY-MM-DD` (UTC). */
  date: string;
  currency: string;
  /** Sum of succeeded payments that day, minor units. */
  amount: number;
  count: number;
}

export type PaymentStatus = 'pending' | 'succeeded' | 'failed';

export interface Payment {
  id: string;
  amount: number;
  currency: string;
  status: PaymentStatus;
  description: string | null;
  failureCode: string | null;
  amountRefunded: number;
  amountRefundable: number;
  createdAt: string;
}

export interface PaymentEvent {
  id: string;
  type: string;
  createdAt: string;
}

export interface Refund {
  id: string;
  amount: number;
  currency: string;
  createdAt: string;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  enabledEvents: string[];
  status: string;
  createdAt: string;
  /** During a secret rotation: until then the previous secret signs too. */
  previousSecretExpiresAt: string | null;
  /** Only in the response that created the endpoint or rotated its secret: shown once. */
  secret?: string;
}

export type PayoutStatus = 'pending' | 'paid' | 'failed';

/** One day's settlement paid out of the available balance (per currency). */
export interface Payout {
  id: string;
  /** Minor units. */
  amount: number;
  currency: string;
  /** `YYYY-MM-DD` (UTC): the day the settlement covered. */
  settlementDate: string;
  status: PayoutStatus;
  createdAt: string;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string | null;
  attempt: number;
  status: string;
  httpStatus: number | null;
  durationMs: number | null;
  error: string | null;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  /** A short, non-secret prefix to recognise the key by (e.g. `sk_live_ab12…`). */
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  /** Only in the response that created or rolled the key: shown once. */
  secret?: string;
}

export interface PaymentFilter {
  status?: PaymentStatus;
  /** Inclusive lower bound, ISO timestamp. */
  createdFrom?: string;
  /** Exclusive upper bound, ISO timestamp. */
  createdTo?: string;
  startingAfter?: string;
  endingBefore?: string;
  limit: number;
}

export interface DashboardLogin {
  token: string;
  expiresAt: string;
  email: string;
  merchantName: string | null;
}

/** Calls made with a signed-in merchant's dashboard session token. */
export interface MerchantApi {
  balances(): Promise<Balance[]>;
  volume(days: number): Promise<VolumeDay[]>;
  listPayments(filter: PaymentFilter): Promise<Page<Payment>>;
  getPayment(id: string): Promise<Payment>;
  paymentEvents(id: string): Promise<PaymentEvent[]>;
  refund(paymentId: string, amount: number, idempotencyKey: string): Promise<Refund>;
  listWebhookEndpoints(cursor?: Cursor): Promise<Page<WebhookEndpoint>>;
  createWebhookEndpoint(
    input: { url: string; enabledEvents?: string[] },
    idempotencyKey: string,
  ): Promise<WebhookEndpoint>;
  getWebhookEndpoint(id: string): Promise<WebhookEndpoint>;
  listDeliveries(endpointId: string, cursor?: Cursor): Promise<Page<WebhookDelivery>>;
  /** A new signing secret (shown once); the old one keeps signing for `overlapSeconds`. */
  rotateWebhookSecret(id: string, overlapSeconds: number, idempotencyKey: string): Promise<WebhookEndpoint>;
  /** `requeued`/`enqueued`: a delivery will be attempted; `pending`: one was already queued. */
  resendDelivery(endpointId: string, deliveryId: string): Promise<'requeued' | 'enqueued' | 'pending'>;
  listApiKeys(cursor?: Cursor): Promise<Page<ApiKey>>;
  /** `currency`: only payouts in that currency (lower-case ISO 4217). */
  listPayouts(cursor?: Cursor, currency?: string): Promise<Page<Payout>>;
  getPayout(id: string): Promise<Payout>;
  createApiKey(name: string, idempotencyKey: string): Promise<ApiKey>;
  rollApiKey(id: string): Promise<ApiKey>;
  revokeApiKey(id: string): Promise<void>;
  logout(): Promise<void>;
}

/** Per-request context passed on to the API, so one request id ties both apps' logs together. */
export interface CallContext {
  requestId?: string;
}

export interface DashboardApi {
  login(email: string, password: string, context?: CallContext): Promise<DashboardLogin>;
  forToken(token: string, context?: CallContext): MerchantApi;
  /** Resolves when the API answers its health check; used by `/readyz`. */
  ping(signal?: AbortSignal): Promise<boolean>;
  /** Closes the kept-alive connections to the API (server shutdown). */
  close?(): Promise<void>;
}

/** The API answered with its error shape (`{ error: { type, code, message, param } }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The API could not be reached at all (connection refused, DNS, timeout). */
export class ApiUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The Payday API is unreachable', { cause });
    this.name = 'ApiUnavailableError';
  }
}
