import { createRoute } from '@hono/zod-openapi';
import type { Database } from '@payday/db';
import { dashboardSessions, dashboardUsers, merchants } from '@payday/db/schema';
import { eq, sql } from 'drizzle-orm';
import type { CredentialCache } from '../auth/credential-cache.js';
import { DUMMY_PASSWORD_HASH, verifyPassword } from '../auth/password.js';
import { generateSessionToken } from '../auth/tokens.js';
import { ApiError, notFound } from '../errors.js';
import type { RateLimiter } from '../http/rate-limit.js';
import { newRouter } from '../http/validation.js';
import { errorResponses, jsonBody, jsonContent } from '../schemas/common.js';
import { AccountSchema, DeletedSchema, LoginSchema, SessionSchema } from '../schemas/objects.js';

/** Dashboard sessions last a working day; signing in again is cheap. */
export const SESSION_TTL_HOURS = 12;

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
    const [user] = await database.db
      .select({
        id: dashboardUsers.id,
        email: dashboardUsers.email,
        passwordHash: dashboardUsers.passwordHash,
        merchantId: merchants.id,
        merchantName: merchants.name,
      })
      .from(dashboardUsers)
      .innerJoin(merchants, eq(merchants.id, dashboardUsers.merchantId))
      .where(eq(sql`lower(${dashboardUsers.email})`, normalized));
    // Verify against a dummy hash for unknown emails so timing does not reveal which exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!user || !ok) {
      throw new ApiError(401, 'invalid_request_error', 'invalid_credentials', 'Incorrect email or password.');
    }
    const { token, hash } = generateSessionToken();
    const [session] = await database.db
      .insert(dashboardSessions)
      .values({
        userId: user.id,
        tokenHash: hash,
        expiresAt: sql`now() + make_interval(hours => ${SESSION_TTL_HOURS})`,
      })
      .returning({ expiresAt: dashboardSessions.expiresAt });
    return c.json(
      {
        object: 'dashboard_session' as const,
        token,
        expires_at: session!.expiresAt.toISOString(),
        email: user.email,
        merchant_id: user.merchantId,
        merchant_name: user.merchantName,
      },
      200,
    );
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
      await database.db.delete(dashboardSessions).where(eq(dashboardSessions.id, credential.id));
      credentials.evict(credential.id);
      return c.json({ id: credential.id, object: 'dashboard_session', deleted: true as const }, 200);
    })
    .openapi(account, async (c) => {
      const id = c.get('merchantId');
      const [row] = await database.db.select().from(merchants).where(eq(merchants.id, id));
      if (!row) throw notFound('account', id);
      return c.json(
        { id: row.id, object: 'account' as const, name: row.name, created_at: row.createdAt.toISOString() },
        200,
      );
    });
}
