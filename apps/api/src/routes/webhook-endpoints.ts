import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '@payday/db';
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
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  resendWebhookDelivery,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from '../services/webhook-endpoints.js';
import { currentTraceContext } from '../telemetry/tracing.js';

const security = [{ bearerAuth: [] }];

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
        await idempotent(
          c,
          database,
          { key: c.req.valid('header')['idempotency-key'], body },
          async (tx) => ({
            status: 200,
            body: await createWebhookEndpoint(tx, merchantId, body),
          }),
        ),
      );
    })
    .openapi(routes.list, async (c) =>
      c.json(await listWebhookEndpoints(database.db, c.get('merchantId'), c.req.valid('query')), 200),
    )
    .openapi(routes.retrieve, async (c) =>
      c.json(await getWebhookEndpoint(database.db, c.get('merchantId'), c.req.valid('param').id!), 200),
    )
    .openapi(routes.update, async (c) => {
      const body = c.req.valid('json');
      const merchantId = c.get('merchantId');
      const id = c.req.valid('param').id!;
      if (body.url !== undefined) await checkWebhookUrl(body.url, urlPolicy);
      return routeResponse(
        await idempotent(
          c,
          database,
          { key: c.req.valid('header')['idempotency-key'], body },
          async (tx) => ({
            status: 200,
            body: await updateWebhookEndpoint(tx, merchantId, id, body),
          }),
        ),
      );
    })
    .openapi(routes.remove, async (c) =>
      c.json(await deleteWebhookEndpoint(database.db, c.get('merchantId'), c.req.valid('param').id!), 200),
    )
    .openapi(routes.rotateSecret, async (c) => {
      const body = c.req.valid('json') ?? {};
      const merchantId = c.get('merchantId');
      const id = c.req.valid('param').id!;
      return routeResponse(
        await idempotent(
          c,
          database,
          { key: c.req.valid('header')['idempotency-key'], body },
          async (tx) => ({
            status: 200,
            body: await rotateWebhookSecret(tx, merchantId, id, body.expires_in_seconds),
          }),
        ),
      );
    })
    .openapi(routes.deliveries, async (c) =>
      c.json(
        await listWebhookDeliveries(
          database.db,
          c.get('merchantId'),
          c.req.valid('param').id!,
          c.req.valid('query'),
        ),
        200,
      ),
    )
    .openapi(routes.resend, async (c) => {
      const { id, delivery } = c.req.valid('param') as { id: string; delivery: string };
      const merchantId = c.get('merchantId');
      return routeResponse(
        await idempotent(
          c,
          database,
          { key: c.req.valid('header')['idempotency-key'], body: {} },
          async (tx) => ({
            status: 202,
            body: await resendWebhookDelivery(tx, merchantId, id, delivery, currentTraceContext()),
          }),
        ),
      );
    });
}
