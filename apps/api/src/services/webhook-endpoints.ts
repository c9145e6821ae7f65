import { type Executor, resendWebhook } from '@payday/db';
import { events, webhookDeliveries, webhookEndpoints } from '@payday/db/schema';
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import { generateWebhookSecret } from '../auth/tokens.js';
import { notFound } from '../errors.js';
import { type PageQuery, paginate } from './pagination.js';

type EndpointRow = typeof webhookEndpoints.$inferSelect;

function endpointObject(e: EndpointRow, secret?: string) {
  // The worker signs with the previous secret while it has not expired (webhook-deliver.ts).
  const overlapEnds =
    e.previousSecret && e.previousSecretExpiresAt && e.previousSecretExpiresAt.getTime() > Date.now()
      ? e.previousSecretExpiresAt.toISOString()
      : null;
  return {
    id: e.id,
    object: 'webhook_endpoint' as const,
    url: e.url,
    description: e.description,
    enabled_events: e.enabledEvents,
    status: e.enabled ? ('enabled' as const) : ('disabled' as const),
    created_at: e.createdAt.toISOString(),
    previous_secret_expires_at: overlapEnds,
    ...(secret ? { secret } : {}),
  };
}

/** Default overlap: a day, time to deploy the new secret to every receiver (documented in apps/api/README.md). */
const DEFAULT_SECRET_OVERLAP_SECONDS = 24 * 3600;

async function findEndpoint(
  tx: Executor,
  merchantId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<EndpointRow> {
  const query = tx
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.merchantId, merchantId)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('webhook_endpoint', id);
  return row;
}

/** A new endpoint with a fresh signing secret, returned this once. The URL is checked before. */
export async function createWebhookEndpoint(
  tx: Executor,
  merchantId: string,
  input: { url: string; enabled_events?: string[] | undefined; description?: string | null | undefined },
) {
  const secret = generateWebhookSecret();
  const [row] = await tx
    .insert(webhookEndpoints)
    .values({
      merchantId,
      url: input.url,
      enabledEvents: input.enabled_events ?? ['*'],
      description: input.description ?? null,
      secret,
    })
    .returning();
  return endpointObject(row!, secret);
}

export function listWebhookEndpoints(db: Executor, merchantId: string, query: PageQuery) {
  return paginate(
    query,
    '/v1/webhook_endpoints',
    webhookEndpoints.id,
    eq(webhookEndpoints.merchantId, merchantId),
    (where, orderBy, limit) => db.select().from(webhookEndpoints).where(where).orderBy(orderBy).limit(limit),
    (row) => endpointObject(row),
  );
}

export async function getWebhookEndpoint(db: Executor, merchantId: string, id: string) {
  return endpointObject(await findEndpoint(db, merchantId, id));
}

/** Changes only the fields given. A new URL is checked before. */
export async function updateWebhookEndpoint(
  tx: Executor,
  merchantId: string,
  id: string,
  input: {
    url?: string | undefined;
    enabled_events?: string[] | undefined;
    description?: string | null | undefined;
    disabled?: boolean | undefined;
  },
) {
  await findEndpoint(tx, merchantId, id);
  const [row] = await tx
    .update(webhookEndpoints)
    .set({
      ...(input.url === undefined ? {} : { url: input.url }),
      ...(input.enabled_events === undefined ? {} : { enabledEvents: input.enabled_events }),
      ...(input.description === undefined ? {} : { description: input.description }),
      ...(input.disabled === undefined ? {} : { enabled: !input.disabled }),
      updatedAt: sql`now()`,
    })
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.merchantId, merchantId)))
    .returning();
  return endpointObject(row!);
}

/** Deletes an endpoint and (by cascade) its delivery history. */
export async function deleteWebhookEndpoint(db: Executor, merchantId: string, id: string) {
  const deleted = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.merchantId, merchantId)))
    .returning({ id: webhookEndpoints.id });
  if (!deleted.length) throw notFound('webhook_endpoint', id);
  return { id, object: 'webhook_endpoint' as const, deleted: true as const };
}

/**
 * A new signing secret, returned this once. Two secrets at most: the one being replaced signs
 * until the overlap ends; a secret still in an earlier overlap stops signing now (the receiver
 * has had the current one).
 */
export async function rotateWebhookSecret(
  tx: Executor,
  merchantId: string,
  id: string,
  expiresInSeconds: number | undefined,
) {
  const current = await findEndpoint(tx, merchantId, id, { forUpdate: true });
  const overlap = expiresInSeconds ?? DEFAULT_SECRET_OVERLAP_SECONDS;
  const secret = generateWebhookSecret();
  const [row] = await tx
    .update(webhookEndpoints)
    .set({
      secret,
      previousSecret: overlap > 0 ? current.secret : null,
      previousSecretExpiresAt: overlap > 0 ? sql`now() + make_interval(secs => ${overlap})` : null,
      updatedAt: sql`now()`,
    })
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.merchantId, merchantId)))
    .returning();
  return endpointObject(row!, secret);
}

/** An endpoint's delivery attempts, newest first, with each event's type. */
export async function listWebhookDeliveries(db: Executor, merchantId: string, id: string, query: PageQuery) {
  const endpoint = await findEndpoint(db, merchantId, id);
  return paginate(
    query,
    `/v1/webhook_endpoints/${endpoint.id}/deliveries`,
    webhookDeliveries.id,
    eq(webhookDeliveries.endpointId, endpoint.id),
    (where, orderBy, limit) =>
      db
        .select({ ...getTableColumns(webhookDeliveries), eventType: events.type })
        .from(webhookDeliveries)
        .leftJoin(events, eq(events.id, webhookDeliveries.eventId))
        .where(where)
        .orderBy(orderBy)
        .limit(limit),
    (d) => ({
      id: d.id,
      object: 'webhook_delivery' as const,
      endpoint: d.endpointId,
      event: d.eventId,
      event_type: d.eventType,
      attempt: d.attempt,
      status: d.status,
      http_status: d.httpStatus,
      duration_ms: d.durationMs,
      error: d.error,
      created_at: d.createdAt.toISOString(),
    }),
  );
}

/** Queues a delivery's event for its endpoint again, with the worker's resend semantics. */
export async function resendWebhookDelivery(
  tx: Executor,
  merchantId: string,
  id: string,
  delivery: string,
  traceContext: Record<string, string> | null,
) {
  const endpoint = await findEndpoint(tx, merchantId, id);
  const [row] = await tx
    .select({ eventId: webhookDeliveries.eventId })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, delivery), eq(webhookDeliveries.endpointId, endpoint.id)));
  if (!row) throw notFound('webhook_delivery', delivery);
  // A dead job runs again, a missing one is added.
  const { action } = await resendWebhook(tx, { eventId: row.eventId, endpointId: endpoint.id, traceContext });
  return {
    object: 'webhook_resend' as const,
    event: row.eventId,
    endpoint: endpoint.id,
    queued: true as const,
    action,
  };
}
