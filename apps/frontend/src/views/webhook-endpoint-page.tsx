import type { WebhookDelivery, WebhookEndpoint } from '../api.js';
import { formatDateTime } from '../format/locale.js';
import { newFormKey } from '../params/form-key.js';
import type { Flash } from '../session/session.js';
import { CsrfField, EmptyState, FieldError, StatusBadge, TableWrap } from './components.js';
import { Layout, type LayoutProps } from './layout.js';
import { Pager, type Paging } from './pager.js';
import { SecretBox } from './secret-box.js';

/**
 * How long the replaced secret keeps signing beside the new one (the API allows 0 to 7 days).
 * During the overlap every delivery carries one `v1` signature per secret, so receivers can
 * switch to the new secret at their own pace (apps/worker/README.md, "Webhooks").
 */
export const SECRET_OVERLAPS = [
  { seconds: 0, label: 'Stop it now (the secret has leaked)' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 86_400, label: '24 hours' },
  { seconds: 7 * 86_400, label: '7 days' },
] as const;
const DEFAULT_OVERLAP = 86_400;

export interface WebhookEndpointPageProps {
  user: LayoutProps['user'];
  flash?: Flash;
  locale: string;
  endpoint: WebhookEndpoint;
  deliveries: WebhookDelivery[];
  paging?: Paging;
  /** Just rotated: the new signing secret is shown once. */
  rotated?: WebhookEndpoint;
  rotateError?: string;
}

export function WebhookEndpointPage({
  user,
  flash,
  locale,
  endpoint,
  deliveries,
  paging,
  rotated,
  rotateError,
}: WebhookEndpointPageProps) {
  const base = `/webhooks/${encodeURIComponent(endpoint.id)}`;
  return (
    <Layout title="Webhook endpoint" section="webhooks" user={user} flash={flash}>
      <p>
        <a href="/webhooks">← All endpoints</a>
      </p>
      <h1 class="mono">{endpoint.url}</h1>
      <p>
        <StatusBadge status={endpoint.status} /> · added {formatDateTime(endpoint.createdAt, locale)} ·{' '}
        {endpoint.enabledEvents.length ? endpoint.enabledEvents.join(', ') : 'all events'}
      </p>
      {rotated?.secret ? (
        <SecretBox
          title="New signing secret"
          secret={rotated.secret}
          note="Give it to your server now: it is shown only once. Verify with every secret you know until the old one stops signing."
        />
      ) : null}
      <section class="card" aria-labelledby="signing-title">
        <h2 id="signing-title">Signing secret</h2>
        <p id="signing-status">
          {endpoint.previousSecretExpiresAt
            ? `Rotation in progress: deliveries carry a signature with the new secret and one with the previous secret until ${formatDateTime(endpoint.previousSecretExpiresAt, locale)}.`
            : 'Deliveries are signed with one secret.'}
        </p>
        <form
          method="post"
          action={`${base}/rotate-secret`}
          class="inline"
          data-confirm="Create a new signing secret for this endpoint?"
          novalidate
        >
          <CsrfField token={user?.csrf ?? ''} />
          <input type="hidden" name="idempotency_key" value={newFormKey()} />
          <div class="field">
            <label for="overlap">Keep the current secret signing for</label>
            <select
              id="overlap"
              name="overlap"
              aria-invalid={rotateError ? 'true' : undefined}
              aria-describedby={rotateError ? 'overlap-error' : undefined}
            >
              {SECRET_OVERLAPS.map((o) => (
                <option value={String(o.seconds)} selected={o.seconds === DEFAULT_OVERLAP}>
                  {o.label}
                </option>
              ))}
            </select>
            <FieldError id="overlap-error" message={rotateError} />
          </div>
          <div class="actions">
            <button type="submit" class="secondary">
              Rotate secret
            </button>
          </div>
        </form>
      </section>
      <h2>Delivery attempts</h2>
      {deliveries.length === 0 ? (
        <EmptyState title="No deliveries yet">
          <p>Attempts appear here as soon as an event is sent to this endpoint.</p>
        </EmptyState>
      ) : (
        <TableWrap label="Delivery attempts">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Result</th>
                <th scope="col" class="num">
                  Attempt
                </th>
                <th scope="col">Response</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr>
                  <td>{formatDateTime(d.createdAt, locale)}</td>
                  <td>
                    {d.eventType ? <span>{d.eventType} </span> : null}
                    <span class="mono">{d.eventId}</span>
                  </td>
                  <td>
                    <StatusBadge status={d.status} />
                  </td>
                  <td class="num">{d.attempt}</td>
                  <td>
                    {d.httpStatus ? `HTTP ${d.httpStatus}` : ''}
                    {d.durationMs !== null ? ` · ${d.durationMs} ms` : ''}
                    {d.error ? <span class="hint"> {d.error}</span> : null}
                  </td>
                  <td>
                    <form method="post" action={`${base}/deliveries/${encodeURIComponent(d.id)}/resend`}>
                      <CsrfField token={user?.csrf ?? ''} />
                      <button type="submit" class="secondary" aria-label={`Resend event ${d.eventId}`}>
                        Resend
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <Pager
        path={base}
        label="Pages of delivery attempts"
        ids={deliveries.map((d) => d.id)}
        paging={paging}
      />
    </Layout>
  );
}
