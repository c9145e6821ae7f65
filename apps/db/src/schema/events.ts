import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { ID_PREFIX } from '../ids.js';
import { createdAt, idRef, publicId } from './columns.js';
import { merchants } from './merchants.js';

/**
 * Something that happened to a merchant's object (`payment.succeeded`, `refund.created`, …).
 * Immutable once written; webhook deliveries carry `data` as it was then.
 */
export const events = pgTable(
  'events',
  {
    id: publicId(ID_PREFIX.event),
    merchantId: idRef('merchant_id')
      .notNull()
      .references(() => merchants.id),
    type: text('type').notNull(),
    /** The object the event is about (`pay_…`, `re_…`), for timelines. */
    objectId: idRef('object_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('events_merchant_id_idx').on(t.merchantId, t.id), index('events_object_idx').on(t.objectId)],
);

/**
 * Where a merchant wants events delivered. `secret` signs deliveries (HMAC-SHA256 over
 * `timestamp.body`, Stripe's `t=…,v1=…` scheme) so it has to be kept readable; during a
 * rotation the previous secret also signs until `previous_secret_expires_at`.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: publicId(ID_PREFIX.webhookEndpoint),
    merchantId: idRef('merchant_id')
      .notNull()
      .references(() => merchants.id),
    url: text('url').notNull(),
    description: text('description'),
    /** Event types to deliver; `['*']` means all. */
    enabledEvents: text('enabled_events').array().notNull().default(sql`'{*}'::text[]`),
    enabled: boolean('enabled').notNull().default(true),
    secret: text('secret').notNull(),
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('webhook_endpoints_merchant_id_idx').on(t.merchantId, t.id)],
);

export const WEBHOOK_DELIVERY_STATUSES = ['succeeded', 'failed', 'refused'] as const;

/** One delivery attempt, written by the worker (`refused`: the SSRF guard blocked the target). */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: publicId(ID_PREFIX.webhookDelivery),
    endpointId: idRef('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: idRef('event_id')
      .notNull()
      .references(() => events.id),
    attempt: integer('attempt').notNull(),
    status: text('status', { enum: WEBHOOK_DELIVERY_STATUSES }).notNull(),
    httpStatus: integer('http_status'),
    durationMs: integer('duration_ms'),
    error: text('error'),
    createdAt: createdAt(),
  },
  (t) => [
    check('webhook_deliveries_status_check', sql`${t.status} in ('succeeded', 'failed', 'refused')`),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.id),
  ],
);
