/** Webhook endpoints, their delivery attempts, and resending a delivery. */
import { Hono } from 'hono';
import { ApiError } from '../api.js';
import type { AppEnv } from '../env.js';
import { setFlash, takeFlash } from '../session/session.js';
import { WebhookEndpointPage } from '../views/webhook-endpoint-page.js';
import { WebhooksPage } from '../views/webhooks-page.js';
import { formIdempotencyKey } from './form-key.js';
import { formOf, page, seeOther, userOf } from './render.js';
import { checkWebhookUrl } from './webhook-url.js';

export function webhookRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/webhooks', async (c) => {
    const endpoints = await c.get('api').listWebhookEndpoints();
    return page(
      c,
      <WebhooksPage user={userOf(c)} flash={takeFlash(c)} locale={c.get('locale')} endpoints={endpoints} />,
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
          endpoints={await api.listWebhookEndpoints()}
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
          endpoints={await api.listWebhookEndpoints()}
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
    const [endpoint, deliveries] = await Promise.all([api.getWebhookEndpoint(id), api.listDeliveries(id)]);
    return page(
      c,
      <WebhookEndpointPage
        user={userOf(c)}
        flash={takeFlash(c)}
        locale={c.get('locale')}
        endpoint={endpoint}
        deliveries={deliveries.data}
      />,
    );
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
