import type { Executor } from '@payday/db';
import { dashboardSessions, dashboardUsers, merchants } from '@payday/db/schema';
import { eq, sql } from 'drizzle-orm';
import type { CredentialCache } from '../auth/credential-cache.js';
import { DUMMY_PASSWORD_HASH, verifyPassword } from '../auth/password.js';
import { generateSessionToken } from '../auth/tokens.js';
import { ApiError, notFound } from '../errors.js';

/** Dashboard sessions last a working day; signing in again is cheap. */
export const SESSION_TTL_HOURS = 12;

/** Checks an email and password and opens a dashboard session; the token is shown once. */
export async function signIn(db: Executor, email: string, password: string) {
  const [user] = await db
    .select({
      id: dashboardUsers.id,
      email: dashboardUsers.email,
      passwordHash: dashboardUsers.passwordHash,
      merchantId: merchants.id,
      merchantName: merchants.name,
    })
    .from(dashboardUsers)
    .innerJoin(merchants, eq(merchants.id, dashboardUsers.merchantId))
    .where(eq(sql`lower(${dashboardUsers.email})`, email.toLowerCase()));
  // Verify against a dummy hash for unknown emails so timing does not reveal which exist.
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !ok) {
    throw new ApiError(401, 'invalid_request_error', 'invalid_credentials', 'Incorrect email or password.');
  }
  const { token, hash } = generateSessionToken();
  const [session] = await db
    .insert(dashboardSessions)
    .values({
      userId: user.id,
      tokenHash: hash,
      expiresAt: sql`now() + make_interval(hours => ${SESSION_TTL_HOURS})`,
    })
    .returning({ expiresAt: dashboardSessions.expiresAt });
  return {
    object: 'dashboard_session' as const,
    token,
    expires_at: session!.expiresAt.toISOString(),
    email: user.email,
    merchant_id: user.merchantId,
    merchant_name: user.merchantName,
  };
}

/** Ends a dashboard session, here and in this process's credential cache. */
export async function signOut(db: Executor, credentials: CredentialCache, sessionId: string) {
  await db.delete(dashboardSessions).where(eq(dashboardSessions.id, sessionId));
  credentials.evict(sessionId);
  return { id: sessionId, object: 'dashboard_session' as const, deleted: true as const };
}

export async function getAccount(db: Executor, merchantId: string) {
  const [row] = await db.select().from(merchants).where(eq(merchants.id, merchantId));
  if (!row) throw notFound('account', merchantId);
  return { id: row.id, object: 'account' as const, name: row.name, created_at: row.createdAt.toISOString() };
}
