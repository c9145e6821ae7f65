import type { Database } from '@payday/db';
import type { Logger } from 'pino';
import type { ApiMetrics } from './http/metrics.js';
import type { RateLimiter } from './http/rate-limit.js';
import type { WebhookUrlPolicy } from './http/webhook-url.js';
import type { CreationBatcherOptions, PaymentCreationBatcher } from './payments/creation-batcher.js';

/** How the caller authenticated. */
export type Credential =
  | { kind: 'api_key'; id: string }
  | { kind: 'dashboard_session'; id: string; userId: string };

/** Per-request values set by middleware (Hono `c.var`). */
export interface AppVariables {
  requestId: string;
  /** Unset at LOG_LEVEL=silent (see http/request-log.ts). */
  logger: Logger | undefined;
  merchantId: string;
  credential: Credential;
}

export type AppEnv = { Variables: AppVariables };

/** What `createApp` needs: everything with state is passed in, so tests build their own. */
export interface AppDeps {
  database: Database;
  logger: Logger;
  metrics: ApiMetrics;
  version: string;
  /** Set once SIGTERM arrived: /readyz answers 503 and responses ask clients to close. */
  lifecycle: { draining: boolean };
  rateLimiter?: RateLimiter;
  /**
   * Failed authentications per client address, checked before the credential lookup; none when
   * absent (`start()` always sets it from AUTH_FAILURES_PER_MINUTE).
   */
  authFailureLimiter?: RateLimiter;
  /** Client addresses come from `X-Forwarded-For` (behind the cluster's ingress only). */
  trustProxy?: boolean;
  /**
   * Create a server span per request. Only when a tracer provider is registered: the no-op
   * API still costs header extraction and context switches on every request. Default false.
   */
  tracing?: boolean;
  /** How long a verified credential is trusted without a database lookup (ms); default 5000, 0 disables. */
  credentialCacheMs?: number;
  bodyLimitBytes?: number;
  /** Which webhook URLs registration accepts; default: public addresses only. */
  webhookUrls?: WebhookUrlPolicy;
  /** How payment creations are grouped into statements; default `DEFAULT_PAYMENT_GROUPS`. */
  paymentGroups?: CreationBatcherOptions;
  /** The batcher itself (tests watch its queue); default one on `database`, with `paymentGroups`. */
  paymentCreations?: PaymentCreationBatcher;
}
