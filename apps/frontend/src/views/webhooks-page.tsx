import type { WebhookEndpoint } from '../api.js';
import { formatDateTime } from '../format/locale.js';
import { newFormKey } from '../params/form-key.js';
import type { Flash } from '../session/session.js';
import { CsrfField, EmptyState, FieldError, StatusBadge, TableWrap } from './components.js';
import { Layout, type LayoutProps } from './layout.js';
import { Pager, type Paging } from './pager.js';
import { SecretBox } from './secret-box.js';

export interface WebhooksPageProps {
  user: LayoutProps['user'];
  flash?: Flash;
  locale: string;
  endpoints: WebhookEndpoint[];
  /** Just created: its signing secret is shown once. */
  created?: WebhookEndpoint;
  form?: { url: string; error: string };
  /** Which page of endpoints this is; absent after a form post (the first page). */
  paging?: Paging;
}

export function WebhooksPage({ user, flash, locale, endpoints, created, form, paging }: WebhooksPageProps) {
  return (
    <Layout title="Webhooks" section="webhooks" user={user} flash={flash}>
      <h1>Webhooks</h1>
      {created?.secret ? (
        <SecretBox
          title="Signing secret for your new endpoint"
          secret={created.secret}
          note="Use it to verify the Payday-Signature header of each delivery. It is shown only once: copy it now."
        />
      ) : null}
      {endpoints.length === 0 ? (
        <EmptyState title="No webhook endpoints yet">
          <p>Add the URL of your server below and Payday will send it an event for every payment change.</p>
        </EmptyState>
      ) : (
        <TableWrap label="Webhook endpoints">
          <table>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Status</th>
                <th scope="col" class="hide-narrow">
                  Events
                </th>
                <th scope="col">Added</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((e) => (
                <tr>
                  <td>
                    <a href={`/webhooks/${encodeURIComponent(e.id)}`} class="mono">
                      {e.url}
                    </a>
                  </td>
                  <td>
                    <StatusBadge status={e.status} />
                  </td>
                  <td class="hide-narrow">
                    {e.enabledEvents.length ? e.enabledEvents.join(', ') : 'All events'}
                  </td>
                  <td>{formatDateTime(e.createdAt, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <Pager
        path="/webhooks"
        label="Pages of webhook endpoints"
        ids={endpoints.map((e) => e.id)}
        paging={paging}
      />
      <section class="card" aria-labelledby="add-endpoint-title">
        <h2 id="add-endpoint-title">Add an endpoint</h2>
        <form method="post" action="/webhooks" class="stack" novalidate>
          <CsrfField token={user?.csrf ?? ''} />
          <input type="hidden" name="idempotency_key" value={newFormKey()} />
          <div class="field">
            <label for="url">Endpoint URL</label>
            <p class="hint" id="url-hint">
              A public HTTPS address on your server, e.g. https://shop.example/webhooks/payday.
            </p>
            <input
              type="url"
              id="url"
              name="url"
              required
              value={form?.url ?? ''}
              aria-invalid={form ? 'true' : undefined}
              aria-describedby={form ? 'url-error url-hint' : 'url-hint'}
            />
            <FieldError id="url-error" message={form?.error} />
          </div>
          <div>
            <button type="submit">Add endpoint</button>
          </div>
        </form>
      </section>
    </Layout>
  );
}
