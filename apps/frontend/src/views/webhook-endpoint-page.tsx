import type { WebhookDelivery, WebhookEndpoint } from '../api.js';
import { formatDateTime } from '../format/locale.js';
import type { Flash } from '../session/session.js';
import { CsrfField, EmptyState, StatusBadge, TableWrap } from './components.js';
import { Layout, type LayoutProps } from './layout.js';

export interface WebhookEndpointPageProps {
  user: LayoutProps['user'];
  flash?: Flash;
  locale: string;
  endpoint: WebhookEndpoint;
  deliveries: WebhookDelivery[];
}

export function WebhookEndpointPage({ user, flash, locale, endpoint, deliveries }: WebhookEndpointPageProps) {
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
    </Layout>
  );
}
