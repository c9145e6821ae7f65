import { createRoute } from '@hono/zod-openapi';
import type { Database } from '@payday/db';
import type { CredentialCache } from '../auth/credential-cache.js';
import { ApiError } from '../errors.js';
import type { RateLimiter } from '../http/rate-limit.js';
import { newRouter } from '../http/validation.js';
import { errorResponses, jsonBody, jsonContent } from '../schemas/common.js';
import { AccountSchema, DeletedSchema, LoginSchema, SessionSchema } from '../schemas/objects.js';
import { getAccount, signIn, signOut } from '../services/dashboard.js';

const login = createRoute({
  method: 'post',
  path: '/v1/dashboard/login',
  operationId: 'dashboardLogin',
  summary: 'Sign in to the dashboard; returns a session token usable as a Bearer credential',
  request: { body: jsonBody(LoginSchema) },
  responses: { 200: jsonContent(SessionSchema, 'The session'), ...errorResponses },
});

const logout = createRoute({
  method: 'post',
  path: '/v1/dashboard/logout',
  operationId: 'dashboardLogout',
  summary: 'End the dashboard session used for this request',
  security: [{ bearerAuth: [] }],
  responses: { 200: jsonContent(DeletedSchema, 'Session ended'), ...errorResponses },
});

const account = createRoute({
  method: 'get',
  path: '/v1/account',
  operationId: 'getAccount',
  summary: 'The merchant the credential belongs to',
  security: [{ bearerAuth: [] }],
  responses: { 200: jsonContent(AccountSchema, 'The account'), ...errorResponses },
});

/** Sign-in: public (no Bearer credential), throttled per email against password guessing. */
export function loginRoutes(database: Database, limiter: RateLimiter) {
  return newRouter().openapi(login, async (c) => {
    const { email, password } = c.req.valid('json');
    const normalized = email.toLowerCase();
    const wait = limiter.take(`login:${normalized}`);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      throw new ApiError(
        429,
        'rate_limit_error',
        'rate_limit',
        'Too many sign-in attempts. Try again later.',
      );
    }
    return c.json(await signIn(database.db, email, password), 200);
  });
}

export function dashboardRoutes(database: Database, credentials: CredentialCache) {
  return newRouter()
    .openapi(logout, async (c) => {
      const credential = c.get('credential');
      if (credential.kind !== 'dashboard_session') {
        throw new ApiError(
          400,
          'invalid_request_error',
          'not_a_session',
          'Sign-out needs a dashboard session token (dst_…), not an API key.',
        );
      }
      return c.json(await signOut(database.db, credentials, credential.id), 200);
    })
    .openapi(account, async (c) => c.json(await getAccount(database.db, c.get('merchantId')), 200));
}
