/**
 * The dashboard app factory (Hono). Everything it needs comes in through `deps`, so tests run
 * it with `app.request()` against a real API and `start()` (server.ts) serves it on a port.
 * Middleware order matters: request id and metrics see every response, security headers are
 * set on error pages too, and the session (with its CSRF check) runs before any route.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import pino, { type Logger } from 'pino';
import { ApiError, ApiUnavailableError, type DashboardApi } from './api.js';
import type { FrontendConfig } from './config.js';
import type { AppEnv } from './context-variables.js';
import { negotiateLocale } from './format/locale.js';
import { healthRoutes } from './http/health.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { securityHeaders } from './http/security-headers.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { authRoutes } from './routes/auth.js';
import { overviewRoutes } from './routes/overview.js';
import { paymentRoutes } from './routes/payments.js';
import { payoutRoutes } from './routes/payouts.js';
import { page, seeOther, userOf } from './routes/render.js';
import { webhookRoutes } from './routes/webhooks.js';
import { createLoginLimiter } from './session/login-limiter.js';
import { createSealer } from './session/sealed-cookie.js';
import {
  csrfMatches,
  newSession,
  type SessionOptions,
  saveSession,
  sessionMiddleware,
} from './session/session.js';
import { STATIC_FILES } from './views/assets.js';
import {
  ApiUnavailablePage,
  CsrfPage,
  NotFoundPage,
  RateLimitedPage,
  ServerErrorPage,
} from './views/error-page.js';

export type AppConfig = Pick<
  FrontendConfig,
  | 'sessionSecrets'
  | 'sessionTtlSeconds'
  | 'cookieSecure'
  | 'loginMaxFailures'
  | 'loginWindowSeconds'
  | 'trustProxy'
  | 'version'
>;

export interface AppDeps {
  api: DashboardApi;
  config: AppConfig;
  logger?: Logger;
  metrics?: Metrics;
  /** Clock in epoch ms (tests move it to expire sessions). */
  now?: () => number;
  /** True once SIGTERM arrived: /readyz answers 503 (server.ts). */
  isDraining?: () => boolean;
}

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** A form post whose CSRF token does not match the session's. */
class CsrfError extends Error {}

export function createApp(deps: AppDeps) {
  const now = deps.now ?? Date.now;
  const logger = deps.logger ?? pino({ level: 'silent' });
  const metrics = deps.metrics ?? createMetrics(deps.config.version);
  const session: SessionOptions = {
    sealer: createSealer(deps.config.sessionSecrets),
    secure: deps.config.cookieSecure,
    ttlSeconds: deps.config.sessionTtlSeconds,
    now,
  };
  const limiter = createLoginLimiter({
    maxFailures: deps.config.loginMaxFailures,
    windowMs: deps.config.loginWindowSeconds * 1000,
    now,
  });

  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.set('logger', logger.child({ requestId }));
    c.header('X-Request-Id', requestId);
    const t0 = performance.now();
    await next();
    // Probes and scrapes arrive every few seconds; logging them would drown the real traffic.
    if (QUIET_PATHS.has(c.req.path)) return;
    c.get('logger').info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - t0),
      },
      'request',
    );
  });
  app.use(metrics.middleware);
  app.use(securityHeaders());

  app.route('/', healthRoutes({ registry: metrics.registry, api: deps.api, isDraining: deps.isDraining }));

  for (const file of STATIC_FILES) {
    app.get(file.path, (c) => {
      c.header('Cache-Control', 'public, max-age=31536000, immutable');
      c.header('ETag', file.etag);
      if (c.req.header('if-none-match') === file.etag) return c.body(null, 304);
      return c.body(new Uint8Array(file.body), 200, { 'Content-Type': file.type });
    });
  }

  app.use(async (c, next) => {
    c.set('locale', negotiateLocale(c.req.header('accept-language')));
    await next();
  });
  app.use(sessionMiddleware(session));
  // Every state-changing request is a form post carrying the session's CSRF token
  // (OWASP CSRF Prevention Cheat Sheet, synchronizer token pattern).
  app.post('*', bodyLimit({ maxSize: 16 * 1024 }), async (c, next) => {
    const form = await c.req.parseBody();
    if (!csrfMatches(c.get('session'), form._csrf)) throw new CsrfError();
    await next();
  });

  app.route('/', authRoutes({ api: deps.api, session, limiter, trustProxy: deps.config.trustProxy, now }));

  // Everything below needs a signed-in session.
  app.use(async (c, next) => {
    const token = c.get('session').token;
    if (!token) return seeOther(c, '/login');
    c.set('api', deps.api.forToken(token, { requestId: c.get('requestId') }));
    await next();
  });
  app.route('/', overviewRoutes({ now }));
  app.route('/', paymentRoutes());
  app.route('/', payoutRoutes());
  app.route('/', webhookRoutes());
  app.route('/', apiKeyRoutes());

  app.notFound((c) => page(c, <NotFoundPage user={userOf(c)} />, 404));

  app.onError((err, c) => {
    const requestId = c.get('requestId') ?? 'unknown';
    const user = userOf(c);
    if (err instanceof CsrfError) return page(c, <CsrfPage user={user} />, 403);
    if (err instanceof ApiUnavailableError) {
      c.get('logger')?.warn({ err: err.cause }, 'API unavailable');
      return page(c, <ApiUnavailablePage user={user} requestId={requestId} />, 503);
    }
    if (err instanceof ApiError && err.status === 401 && c.get('session')) {
      // The API no longer accepts the dashboard token (expired or revoked): sign in again.
      saveSession(c, session, newSession(session, { expired: true }));
      return seeOther(c, '/login');
    }
    if (err instanceof ApiError && err.status === 404) return page(c, <NotFoundPage user={user} />, 404);
    if (err instanceof ApiError && err.status === 429) return page(c, <RateLimitedPage user={user} />, 429);
    c.get('logger')?.error({ err }, 'unhandled error');
    return page(c, <ServerErrorPage user={user} requestId={requestId} />, 500);
  });

  return app;
}

export type FrontendApp = ReturnType<typeof createApp>;
