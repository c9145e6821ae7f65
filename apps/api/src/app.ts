import { OpenAPIHono, z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { authenticate } from './auth/authenticate.js';
import { CredentialCache } from './auth/credential-cache.js';
import { ApiError, errorResponse } from './errors.js';
import { bodyLimit } from './http/body-limit.js';
import { metricsMiddleware } from './http/metrics.js';
import { RateLimiter } from './http/rate-limit.js';
import { requestId } from './http/request-id.js';
import { requestLog } from './http/request-log.js';
import { responseHeaders } from './http/response-headers.js';
import { tracingMiddleware } from './http/tracing-middleware.js';
import { validationHook } from './http/validation.js';
import { DEFAULT_PAYMENT_GROUPS, PaymentCreationBatcher } from './payments/creation-batcher.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { balanceRoutes } from './routes/balance.js';
import { dashboardRoutes, loginRoutes } from './routes/dashboard.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { paymentRoutes } from './routes/payments.js';
import { payoutRoutes } from './routes/payouts.js';
import { refundRoutes } from './routes/refunds.js';
import { webhookEndpointRoutes } from './routes/webhook-endpoints.js';
import type { AppDeps, AppEnv } from './types.js';

export const OPENAPI_INFO = {
  title: 'Payday API',
  version: '1.0.0',
  description:
    'Payments for small merchants: payments, refunds, balances from a double-entry ledger, events and webhooks. ' +
    'Authenticate with `Authorization: Bearer sk_test_…`. Every POST accepts an `Idempotency-Key`.',
};

/** Maps framework errors (malformed JSON, wrong media type, body too large) to the error shape. */
function httpExceptionError(e: HTTPException): ApiError {
  if (e.status === 413) {
    return new ApiError(413, 'invalid_request_error', 'body_too_large', 'The request body is too large.');
  }
  if (e.status === 415) {
    return new ApiError(
      415,
      'invalid_request_error',
      'unsupported_media_type',
      'Send the request body as application/json.',
    );
  }
  if (e.status === 400 && /json/i.test(e.message)) {
    return new ApiError(
      400,
      'invalid_request_error',
      'body_malformed',
      'The request body is not valid JSON.',
    );
  }
  return new ApiError(e.status as 400, 'invalid_request_error', 'invalid_request', e.message);
}

/**
 * The API as a Hono app, with nothing bound to a port: tests call `app.request()`, `start()`
 * serves it over HTTP. All state (database, logger, metrics, lifecycle) comes from `deps`.
 */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook as never });
  const limiter = deps.rateLimiter ?? new RateLimiter(100);
  const credentials = new CredentialCache(deps.credentialCacheMs ?? 5_000);

  app.use('*', requestId());
  if (deps.tracing) app.use('*', tracingMiddleware());
  // Inside the server span, so every line of the request (the access line too) has its trace id.
  app.use('*', requestLog(deps.logger));
  app.use('*', metricsMiddleware(deps.metrics, deps.version));
  // API responses are JSON only: no framing, no sniffing, no caching of account data.
  app.use(
    '*',
    responseHeaders({ strictTransportSecurity: 'max-age=63072000; includeSubDomains' }, deps.lifecycle),
  );
  const limitBody = bodyLimit(deps.bodyLimitBytes ?? 64 * 1024);
  app.use('/v1/*', (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next),
  );

  app.route('/', healthRoutes(deps.database, deps.metrics, deps.lifecycle));
  const failures = deps.authFailureLimiter && {
    limiter: deps.authFailureLimiter,
    trustProxy: deps.trustProxy ?? false,
  };
  app.route('/', loginRoutes(deps.database, new RateLimiter(10 / 60, 10)));
  app.use('/v1/*', authenticate(deps.database, credentials, limiter, failures));
  const creations =
    deps.paymentCreations ??
    new PaymentCreationBatcher(deps.database.db, deps.paymentGroups ?? DEFAULT_PAYMENT_GROUPS);
  app.route('/', paymentRoutes(deps.database, creations));
  app.route('/', refundRoutes(deps.database));
  app.route('/', eventRoutes(deps.database));
  app.route('/', balanceRoutes(deps.database));
  app.route('/', payoutRoutes(deps.database));
  app.route('/', webhookEndpointRoutes(deps.database, deps.webhookUrls));
  app.route('/', apiKeyRoutes(deps.database, credentials));
  app.route('/', dashboardRoutes(deps.database, credentials));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'A secret API key (sk_test_…) or a dashboard session token (dst_…)',
  });
  app.doc31('/openapi.json', { openapi: '3.1.0', info: OPENAPI_INFO });
  // doc31 serves the document without declaring it; declared here so the document lists it too.
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This OpenAPI 3.1 document (no authentication)',
    responses: {
      200: {
        description: 'The document',
        content: { 'application/json': { schema: z.object({ openapi: z.string() }).passthrough() } },
      },
    },
  });

  app.notFound((c) =>
    errorResponse(
      c,
      new ApiError(
        404,
        'invalid_request_error',
        'resource_missing',
        `Unrecognized request URL (${c.req.method}: ${c.req.path}).`,
      ),
    ),
  );
  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error);
    if (error instanceof HTTPException) return errorResponse(c, httpExceptionError(error));
    (c.get('logger') ?? deps.logger).error({ err: error }, 'unhandled error');
    return errorResponse(
      c,
      new ApiError(
        500,
        'api_error',
        'internal_error',
        `Something went wrong on our side (request ${c.get('requestId')}).`,
      ),
    );
  });
  return app;
}
