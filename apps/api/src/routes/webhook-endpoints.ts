import { createRoute, z } from '@hono/zod-openapi';
import { type Database, type Executor, resendWebhook } from '@payday/db';
import { events, webhookDeliveries, webhookEndpoints } from '@payday/db/schema';
import { and, eq, sql } from 'drizzle-orm';
import { generateWebhookSecret } from '../auth/tokens.js';
import { notFound } from '../errors.js';
import { paginate } from '../http/pagination.js';
import { routeResponse } from '../http/respond.js';
import { newRouter } from '../http/validation.js';
import { checkWebhookUrl, type WebhookUrlPolicy } from '../http/webhook-url.js';
import { idempotent } from '../idempotency/idempotent.js';
import {
  errorResponses,
  idempotencyHeaders,
  idParam,
  jsonBody,
  jsonContent,
  listSchema,
  paginationQuery,
} from '../schemas/common.js';
import {
  CreateWebhookEndpointSchema,
  DeletedSchema,
  ResendSchema,
  RotateWebhookSecretSchema,
  UpdateWebhookEndpointSchema,
  WebhookDeliverySchema,
  WebhookEndpointSchema,
} from '../schemas/objects.js';
import { currentTraceContext } from '../telemetry/tracing.js';

const security = [{ bearerAuth: [] }];
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

const endpointParam = idParam('id', 'we');

const routes = {
  create: createRoute({
    method: 'post',
    path: '/v1/webhook_endpoints',
    operationId: 'createWebhookEndpoint',
    summary: 'Create a webhook endpoint; the response carries its signing secret, once',
    security,
    request: { headers: idempotencyHeaders, body: jsonBody(CreateWebhookEndpointSchema) },
    responses: { 200: jsonContent(WebhookEndpointSchema, 'The endpoint, with `secret`'), ...errorResponses },
  }),
  list: createRoute({
    method: 'get',
    path: '/v1/webhook_endpoints',
    operationId: 'listWebhookEndpoints',
    summary: 'List webhook endpoints, newest first',
    security,
    request: { query: paginationQuery('we') },
    responses: {
      200: jsonContent(listSchema(WebhookEndpointSchema, 'WebhookEndpointList'), 'A page of endpoints'),
      ...errorResponses,
    },
  }),
  retrieve: createRoute({
    method: 'get',
    path: '/v1/webhook_endpoints/{id}',
    operationId: 'getWebhookEndpoint',
    summary: 'Retrieve a webhook endpoint',
    security,
    request: { params: endpointParam },
    responses: { 200: jsonContent(WebhookEndpointSchema, 'The endpoint'), ...errorResponses },
  }),
  update: createRoute({
    method: 'post',
    path: '/v1/webhook_endpoints/{id}',
    operationId: 'updateWebhookEndpoint',
    summary: 'Update a webhook endpoint (url, events, description, disabled)',
    security,
    request: {
      params: endpointParam,
      headers: idempotencyHeaders,
      body: jsonBody(UpdateWebhookEndpointSchema),
    },
    responses: { 200: jsonContent(WebhookEndpointSchema, 'The endpoint'), ...errorResponses },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/v1/webhook_endpoints/{id}',
    operationId: 'deleteWebhookEndpoint',
    summary: 'Delete a webhook endpoint and its delivery history',
    security,
    request: { params: endpointParam },
    responses: { 200: jsonContent(DeletedSchema, 'Deleted'), ...errorResponses },
  }),
  rotateSecret: createRoute({
    method: 'post',
    path: '/v1/webhook_endpoints/{id}/rotate_secret',
    operationId: 'rotateWebhookEndpointSecret',
    summary:
      'Replace the signing secret; the old one keeps signing beside it for expires_in_seconds (default 24 h)',
    security,
    request: {
      params: endpointParam,
      headers: idempotencyHeaders,
      body: { ...jsonBody(RotateWebhookSecretSchema), required: false },
    },
    responses: {
      200: jsonContent(WebhookEndpointSchema, 'The endpoint, with the new `secret`'),
      ...errorResponses,
    },
  }),
  deliveries: createRoute({
    method: 'get',
    path: '/v1/webhook_endpoints/{id}/deliveries',
    operationId: 'listWebhookDeliveries',
    summary: "An endpoint's delivery attempts, newest first",
    security,
    request: { params: endpointParam, query: paginationQuery('wdl') },
    responses: {
      200: jsonContent(listSchema(WebhookDeliverySchema, 'WebhookDeliveryList'), 'A page of deliveries'),
      ...errorResponses,
    },
  }),
  resend: createRoute({
    method: 'post',
    path: '/v1/webhook_endpoints/{id}/deliveries/{delivery}/resend',
    operationId: 'resendWebhookDelivery',
    summary: "Queue the delivery's event for this endpoint again",
    security,
    request: {
      params: z.object({ ...endpointParam.shape, ...idParam('delivery', 'wdl').shape }),
      headers: idempotencyHeaders,
    },
    responses: { 202: jsonContent(ResendSchema, 'Queued'), ...errorResponses },
  }),
};

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

export function webhookEndpointRoutes(
  database: Database,
  urlPolicy: WebhookUrlPolicy = { allowPrivateTargets: false },
) {
  return newRouter()
    .openapi(routes.create, async (c) => {
      const body = c.req.valid('json');
      const merchantId = c.get('merchantId');
      await checkWebhookUrl(body.url, urlPolicy);
      return routeResponse(
        await idempotent(c, database, { key: c.req.valid('header')['idempotency-key'], body }, async (tx) => {
          const secret = generateWebhookSecret();
          const [row] = await tx
            .insert(webhookEndpoints)
            .values({
              merchantId,
              url: body.url,
              enabledEvents: body.enabled_events ?? ['*'],
              description: body.description ?? null,
              secret,
            })
            .returning();
          return { status: 200, body: endpointObject(row!, secret) };
        }),
      );
    })
    .openapi(routes.list, async (c) => {
      const page = await paginate(
        c.req.valid('query'),
        '/v1/webhook_endpoints',
        webhookEndpoints.id,
        eq(webhookEndpoints.merchantId, c.get('merchantId')),
        (where, orderBy, limit) =>
          database.db.select().from(webhookEndpoints).where(where).orderBy(orderBy).limit(limit),
        (row) => endpointObject(row),
      );
      return c.json(page, 200);
    })
    .openapi(routes.retrieve, async (c) => {
      return c.json(
        endpointObject(await findEndpoint(database.db, c.get('merchantId'), c.req.valid('param').id!)),
        200,
      );
    })
    .openapi(routes.update, async (c) => {
      const body = c.req.valid('json');
      const merchantId = c.get('merchantId');
      const id = c.req.valid('param').id!;
      if (body.url !== undefined) await checkWebhookUrl(body.url, urlPolicy);
      return routeResponse(
        await idempotent(c, database, { key: c.req.valid('header')['idempotency-key'], body }, async (tx) => {
          await findEndpoint(tx, merchantId, id);
          const [row] = await tx
            .update(webhookEndpoints)
            .set({
              ...(body.url === undefined ? {} : { url: body.url }),
              ...(body.enabled_events === undefined ? {} : { enabledEvents: body.enabled_events }),
              ...(body.description === undefined ? {} : { description: body.description }),
              ...(body.disabled === undefined ? {} : { enabled: !body.disabled }),
              updatedAt: sql`now()`,
            })
            .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.merchantId, merchantId)))
            .returning();
          return { status: 200, body: endpointObject(row!) };
        }),
      );
    })
    .openapi(routes.remove, async (c) => {
      const id = c.req.valid('param').id!;
      const deleted = await database.db
        .delete(webhookEndpoints)
        .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.merchantId, c.get('merchantId'))))
        .returning({ id: webhookEndpoints.id });
      if (!deleted.length) throw notFound('webhook_endpoint', id);
      return c.json({ id, object: 'webhook_endpoint', deleted: true as const }, 200);
    })
    .openapi(routes.rotateSecret, async (c) => {
      const body = c.req.valid('json') ?? {};
      const merchantId = c.get('merchantId');
      const id = c.req.valid('param').id!;
      return routeResponse(
        await idempotent(c, database, { key: c.req.valid('header')['idempotency-key'], body }, async (tx) => {
          const current = await findEndpoint(tx, merchantId, id, { forUpdate: true });
          const overlap = body.expires_in_seconds ?? DEFAULT_SECRET_OVERLAP_SECONDS;
          const secret = generateWebhookSecret();
          // Two secrets at most: the one being replaced signs until the overlap ends; a secret
          // still in an earlier overlap stops signing now (the receiver has had the current one).
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
          return { status: 200, body: endpointObject(row!, secret) };
        }),
      );
    })
    .openapi(routes.deliveries, async (c) => {
      const endpoint = await findEndpoint(database.db, c.get('merchantId'), c.req.valid('param').id!);
      const page = await paginate(
        c.req.valid('query'),
        `/v1/webhook_endpoints/${endpoint.id}/deliveries`,
        webhookDeliveries.id,
        eq(webhookDeliveries.endpointId, endpoint.id),
        (where, orderBy, limit) =>
          database.db
            .select({ d: webhookDeliveries, eventType: events.type })
            .from(webhookDeliveries)
            .leftJoin(events, eq(events.id, webhookDeliveries.eventId))
            .where(where)
            .orderBy(orderBy)
            .limit(limit)
            .then((rows) => rows.map((r) => ({ ...r.d, eventType: r.eventType }))),
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
      return c.json(page, 200);
    })
    .openapi(routes.resend, async (c) => {
      const { id, delivery } = c.req.valid('param') as { id: string; delivery: string };
      const merchantId = c.get('merchantId');
      return routeResponse(
        await idempotent(
          c,
          database,
          { key: c.req.valid('header')['idempotency-key'], body: {} },
          async (tx) => {
            const endpoint = await findEndpoint(tx, merchantId, id);
            const [row] = await tx
              .select({ eventId: webhookDeliveries.eventId })
              .from(webhookDeliveries)
              .where(and(eq(webhookDeliveries.id, delivery), eq(webhookDeliveries.endpointId, endpoint.id)));
            if (!row) throw notFound('webhook_delivery', delivery);
            // The worker's resend semantics: a dead job runs again, a missing one is added.
            const { action } = await resendWebhook(tx, {
              eventId: row.eventId,
              endpointId: endpoint.id,
              traceContext: currentTraceContext(),
            });
            return {
              status: 202,
              body: {
                object: 'webhook_resend',
                event: row.eventId,
                endpoint: endpoint.id,
                queued: true,
                action,
              },
            };
          },
        ),
      );
    });
}
