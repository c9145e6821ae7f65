/** Webhook endpoints, their delivery attempts, resending a delivery, and rotating the signing secret. */
import { Hono } from 'hono';
import { ApiError, type WebhookEndpoint } from '../api.js';
import type { AppEnv } from '../context-variables.js';
import { formatDateTime } from '../format/locale.js';
import { parseCursor } from '../params/cursor.js';
import { formIdempotencyKey } from '../params/form-key.js';
import { setFlash, takeFlash } from '../session/session.js';
import { SECRET_OVERLAPS, WebhookEndpointPage } from '../views/webhook-endpoint-page.js';
import { WebhooksPage } from '../views/webhooks-page.js';
import { formOf, page, seeOther, userOf } from './render.js';
import { checkWebhookUrl } from './webhook-url.js';

export function webhookRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/webhooks', async (c) => {
    const cursor = parseCursor(c.req.query(), 'we');
    const endpoints = await c.get('api').listWebhookEndpoints(cursor);
    return page(
      c,
      <WebhooksPage
        user={userOf(c)}
        flash={takeFlash(c)}
        locale={c.get('locale')}
        endpoints={endpoints.data}
        paging={{ cursor, hasMore: endpoints.hasMore }}
      />,
    );
  });

  app.post('/webhooks', async (c) => {
    const api = c.get('api');
    const form = await formOf(c);
    const checked = checkWebhookUrl(form.url ?? '');
    const refuse = async (error: string, status: 400 | 422) =>
      page(
        c,
        <WebhooksPage
          user={userOf(c)}
          locale={c.get('locale')}
          endpoints={(await api.listWebhookEndpoints()).data}
          form={{ url: form.url ?? '', error }}
        />,
        status,
      );
    if ('error' in checked) return refuse(checked.error, 400);
    try {
      const created = await api.createWebhookEndpoint(
        { url: checked.url },
        formIdempotencyKey(form.idempotency_key),
      );
      // The signing secret is shown in this response only; the page is no-store.
      return page(
        c,
        <WebhooksPage
          user={userOf(c)}
          locale={c.get('locale')}
          endpoints={(await api.listWebhookEndpoints()).data}
          created={created}
          flash={{ kind: 'success', text: `Webhook endpoint ${created.url} added.` }}
        />,
        201,
      );
    } catch (err) {
      if (err instanceof ApiError && (err.status === 400 || err.status === 422))
        return refuse(err.message, 422);
      throw err;
    }
  });

  app.get('/webhooks/:id', async (c) => {
    const api = c.get('api');
    const id = c.req.param('id');
    const cursor = parseCursor(c.req.query(), 'wdl');
    const [endpoint, deliveries] = await Promise.all([
      api.getWebhookEndpoint(id),
      api.listDeliveries(id, cursor),
    ]);
    return page(
      c,
      <WebhookEndpointPage
        user={userOf(c)}
        flash={takeFlash(c)}
        locale={c.get('locale')}
        endpoint={endpoint}
        deliveries={deliveries.data}
        paging={{ cursor, hasMore: deliveries.hasMore }}
      />,
    );
  });

  app.post('/webhooks/:id/rotate-secret', async (c) => {
    const api = c.get('api');
    const id = c.req.param('id');
    const form = await formOf(c);
    const overlap = SECRET_OVERLAPS.find((o) => String(o.seconds) === form.overlap);
    const render = async (endpoint: WebhookEndpoint, status: 200 | 400, extra: object) => {
      const deliveries = await api.listDeliveries(id);
      return page(
        c,
        <WebhookEndpointPage
          user={userOf(c)}
          locale={c.get('locale')}
          endpoint={endpoint}
          deliveries={deliveries.data}
          paging={{ cursor: {}, hasMore: deliveries.hasMore }}
          {...extra}
        />,
        status,
      );
    };
    if (!overlap) {
      return render(await api.getWebhookEndpoint(id), 400, {
        rotateError: 'Choose how long the current secret keeps signing from the list.',
      });
    }
    const rotated = await api.rotateWebhookSecret(
      id,
      overlap.seconds,
      formIdempotencyKey(form.idempotency_key),
    );
    // The new secret is shown in this response only; the page is no-store.
    return render(rotated, 200, {
      rotated,
      flash: {
        kind: 'success',
        text: rotated.previousSecretExpiresAt
          ? `New signing secret created. The previous secret keeps signing until ${formatDateTime(rotated.previousSecretExpiresAt, c.get('locale'))}.`
          : 'New signing secret created. The previous secret no longer signs.',
      },
    });
  });

  app.post('/webhooks/:id/deliveries/:deliveryId/resend', async (c) => {
    const id = c.req.param('id');
    const action = await c.get('api').resendDelivery(id, c.req.param('deliveryId'));
    setFlash(c, {
      kind: 'success',
      text:
        action === 'pending'
          ? 'A delivery of this event is already queued; it will be attempted shortly.'
          : 'The event was queued for delivery again. Reload in a few seconds to see the attempt.',
    });
    return seeOther(c, `/webhooks/${encodeURIComponent(id)}`);
  });

  return app;
}
