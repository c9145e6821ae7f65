import { sql } from 'drizzle-orm';
import { check, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, idRef } from './columns.js';
import { merchants } from './merchants.js';

/**
 * `Idempotency-Key` records, scoped per merchant (draft-ietf-httpapi-idempotency-key-header-07 §2,
 * and the draft's security considerations). A key is claimed `in_flight` before the work
 * starts and completed, with the exact response, in the same transaction as the work (brandur.org's
 * "atomic phase"), so a committed payment always has its stored response. Swept after 24 h.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    merchantId: idRef('merchant_id')
      .notNull()
      .references(() => merchants.id),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    /** SHA-256 (hex) of method, route and the canonical JSON of the validated body. */
    fingerprint: text('fingerprint').notNull(),
    status: text('status', { enum: ['in_flight', 'completed'] })
      .notNull()
      .default('in_flight'),
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
    /** When the current claim started; a claim older than the stale limit may be taken over. */
    lockedAt: timestamp('locked_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'idempotency_keys_pkey', columns: [t.merchantId, t.key] }),
    check('idempotency_keys_key_length', sql`char_length(${t.key}) between 1 and 255`),
    check('idempotency_keys_status_check', sql`${t.status} in ('in_flight', 'completed')`),
    check(
      'idempotency_keys_completed_has_response',
      sql`${t.status} = 'in_flight' or (${t.responseStatus} is not null and ${t.responseBody} is not null)`,
    ),
  ],
);
