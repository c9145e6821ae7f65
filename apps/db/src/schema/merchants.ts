import { sql } from 'drizzle-orm';
import { customType, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { ID_PREFIX } from '../ids.js';
import { createdAt, idRef, publicId } from './columns.js';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/** A business using Payday: the tenant every other row belongs to. */
export const merchants = pgTable('merchants', {
  id: publicId(ID_PREFIX.merchant),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

/**
 * Secret API keys. Only a non-secret prefix (for lookup and display) and a SHA-256 hash are
 * stored: keys carry 190 random bits, so a fast hash is enough (no brute force is feasible),
 * and the request path compares hashes in constant time.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: publicId(ID_PREFIX.apiKey),
    merchantId: idRef('merchant_id')
      .notNull()
      .references(() => merchants.id),
    name: text('name').notNull().default('default'),
    prefix: text('prefix').notNull(),
    keyHash: bytea('key_hash').notNull(),
    createdAt: createdAt(),
    /** After this instant the key no longer authenticates (set by roll with a grace period). */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_keys_prefix_key').on(t.prefix), index('api_keys_merchant_idx').on(t.merchantId)],
);

/** People who sign in to the dashboard; each belongs to one merchant. */
export const dashboardUsers = pgTable(
  'dashboard_users',
  {
    id: publicId(ID_PREFIX.dashboardUser),
    merchantId: idRef('merchant_id')
      .notNull()
      .references(() => merchants.id),
    email: text('email').notNull(),
    /** `scrypt$N$r$p$salt$hash` (base64url), see apps/api/src/auth/password.ts. */
    passwordHash: text('password_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('dashboard_users_email_key').on(sql`lower(${t.email})`)],
);

/** Dashboard sign-ins. The bearer token (`dst_…`) is never stored, only its SHA-256. */
export const dashboardSessions = pgTable(
  'dashboard_sessions',
  {
    id: publicId(ID_PREFIX.dashboardSession),
    userId: idRef('user_id')
      .notNull()
      .references(() => dashboardUsers.id, { onDelete: 'cascade' }),
    tokenHash: bytea('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('dashboard_sessions_token_hash_key').on(t.tokenHash)],
);
