/** API keys: create (secret shown once), roll (new secret, old one stops working), revoke. */
import { Hono } from 'hono';
import { ApiError } from '../api.js';
import type { AppEnv } from '../context-variables.js';
import { parseCursor } from '../params/cursor.js';
import { formIdempotencyKey } from '../params/form-key.js';
import { setFlash, takeFlash } from '../session/session.js';
import { ApiKeysPage } from '../views/api-keys-page.js';
import { formOf, page, seeOther, userOf } from './render.js';

export function apiKeyRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/api-keys', async (c) => {
    const cursor = parseCursor(c.req.query(), 'key');
    const keys = await c.get('api').listApiKeys(cursor);
    return page(
      c,
      <ApiKeysPage
        user={userOf(c)}
        flash={takeFlash(c)}
        locale={c.get('locale')}
        keys={keys.data}
        paging={{ cursor, hasMore: keys.hasMore }}
      />,
    );
  });

  app.post('/api-keys', async (c) => {
    const api = c.get('api');
    const form = await formOf(c);
    const name = (form.name ?? '').trim();
    const refuse = async (error: string) =>
      page(
        c,
        <ApiKeysPage
          user={userOf(c)}
          locale={c.get('locale')}
          keys={(await api.listApiKeys()).data}
          form={{ name, error }}
        />,
        400,
      );
    if (!name) return refuse('Give the key a name, e.g. “Shop server”, so you can recognise it later.');
    if (name.length > 100) return refuse('Use a name of at most 100 characters.');
    try {
      const created = await api.createApiKey(name, formIdempotencyKey(form.idempotency_key));
      return page(
        c,
        <ApiKeysPage
          user={userOf(c)}
          locale={c.get('locale')}
          keys={(await api.listApiKeys()).data}
          shown={created}
        />,
        201,
      );
    } catch (err) {
      if (err instanceof ApiError && (err.status === 400 || err.status === 422)) return refuse(err.message);
      throw err;
    }
  });

  app.post('/api-keys/:id/roll', async (c) => {
    const api = c.get('api');
    const rolled = await api.rollApiKey(c.req.param('id'));
    return page(
      c,
      <ApiKeysPage
        user={userOf(c)}
        locale={c.get('locale')}
        keys={(await api.listApiKeys()).data}
        shown={rolled}
      />,
    );
  });

  app.post('/api-keys/:id/revoke', async (c) => {
    await c.get('api').revokeApiKey(c.req.param('id'));
    setFlash(c, { kind: 'success', text: 'The API key was revoked. Requests made with it are now refused.' });
    return seeOther(c, '/api-keys');
  });

  return app;
}
