import type { ApiKey } from '../api.js';
import { formatDateTime } from '../format/locale.js';
import { newFormKey } from '../params/form-key.js';
import type { Flash } from '../session/session.js';
import { CsrfField, EmptyState, FieldError, StatusBadge, TableWrap } from './components.js';
import { Layout, type LayoutProps } from './layout.js';
import { Pager, type Paging } from './pager.js';
import { SecretBox } from './secret-box.js';

export interface ApiKeysPageProps {
  user: LayoutProps['user'];
  flash?: Flash;
  locale: string;
  keys: ApiKey[];
  /** Just created or rolled: its secret is shown once. */
  shown?: ApiKey;
  form?: { name: string; error: string };
  /** Which page of keys this is; absent after a form post (the first page). */
  paging?: Paging;
}

export function ApiKeysPage({ user, flash, locale, keys, shown, form, paging }: ApiKeysPageProps) {
  const csrf = user?.csrf ?? '';
  return (
    <Layout title="API keys" section="api-keys" user={user} flash={flash}>
      <h1>API keys</h1>
      {shown?.secret ? (
        <SecretBox
          title={`Secret key “${shown.name}”`}
          secret={shown.secret}
          note="Copy this key now and store it in your server’s secret store. For your security it is shown only once; if you lose it, roll the key."
        />
      ) : null}
      {keys.length === 0 ? (
        <EmptyState title="No API keys yet">
          <p>Create a key below to call the Payday API from your server.</p>
        </EmptyState>
      ) : (
        <TableWrap label="API keys">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Status</th>
                <th scope="col" class="hide-narrow">
                  Created
                </th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr>
                  <td>{k.name}</td>
                  <td class="mono">{k.prefix}…</td>
                  <td>
                    <StatusBadge status={k.revokedAt ? 'revoked' : 'active'} />
                  </td>
                  <td class="hide-narrow">{formatDateTime(k.createdAt, locale)}</td>
                  <td>
                    {k.revokedAt ? null : (
                      <div class="actions">
                        <form
                          method="post"
                          action={`/api-keys/${encodeURIComponent(k.id)}/roll`}
                          data-confirm={`Roll “${k.name}”? The current secret stops working.`}
                        >
                          <CsrfField token={csrf} />
                          <button type="submit" class="secondary" aria-label={`Roll key ${k.name}`}>
                            Roll
                          </button>
                        </form>
                        <form
                          method="post"
                          action={`/api-keys/${encodeURIComponent(k.id)}/revoke`}
                          data-confirm={`Revoke “${k.name}”? Requests made with it will be refused.`}
                        >
                          <CsrfField token={csrf} />
                          <button type="submit" class="danger" aria-label={`Revoke key ${k.name}`}>
                            Revoke
                          </button>
                        </form>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <Pager path="/api-keys" label="Pages of API keys" ids={keys.map((k) => k.id)} paging={paging} />
      <section class="card" aria-labelledby="create-key-title">
        <h2 id="create-key-title">Create a key</h2>
        <form method="post" action="/api-keys" class="stack" novalidate>
          <CsrfField token={csrf} />
          <input type="hidden" name="idempotency_key" value={newFormKey()} />
          <div class="field">
            <label for="key-name">Name</label>
            <input
              type="text"
              id="key-name"
              name="name"
              required
              maxlength={100}
              value={form?.name ?? ''}
              aria-invalid={form ? 'true' : undefined}
              aria-describedby={form ? 'key-name-error' : undefined}
            />
            <FieldError id="key-name-error" message={form?.error} />
          </div>
          <div>
            <button type="submit">Create key</button>
          </div>
        </form>
      </section>
    </Layout>
  );
}
