/** Error pages that say what happened and what to do next, never a stack trace. */
import type { Child } from 'hono/jsx';
import { Layout, type LayoutProps } from './layout.js';

export interface ErrorPageProps {
  status: number;
  title: string;
  children?: Child;
  user?: LayoutProps['user'];
  requestId?: string;
}

export function ErrorPage({ status, title, children, user, requestId }: ErrorPageProps) {
  return (
    <Layout title={title} user={user}>
      <section class="error-page card" aria-labelledby="error-title">
        <p class="code">Error {status}</p>
        <h1 id="error-title">{title}</h1>
        {children}
        {requestId ? (
          <p class="hint">
            If you contact support, quote request id <span class="mono">{requestId}</span>.
          </p>
        ) : null}
      </section>
    </Layout>
  );
}

export function NotFoundPage(props: { user?: LayoutProps['user']; what?: string }) {
  return (
    <ErrorPage
      status={404}
      title={props.what ? `${props.what} not found` : 'Page not found'}
      user={props.user}
    >
      <p>The address may be mistyped, or the item may belong to another account.</p>
      <p>
        <a href="/">Go to the overview</a> or <a href="/payments">search your payments</a>.
      </p>
    </ErrorPage>
  );
}

export function ServerErrorPage(props: { user?: LayoutProps['user']; requestId: string }) {
  return (
    <ErrorPage
      status={500}
      title="Something went wrong on our side"
      user={props.user}
      requestId={props.requestId}
    >
      <p>Nothing you did caused this. Reload the page to try again.</p>
      <p>If you had submitted a form, check whether it went through before submitting it again.</p>
      <p>If it keeps happening, check the Payday status page or contact support.</p>
    </ErrorPage>
  );
}

export function ApiUnavailablePage(props: { user?: LayoutProps['user']; requestId: string }) {
  return (
    <ErrorPage
      status={503}
      title="Payday is temporarily unavailable"
      user={props.user}
      requestId={props.requestId}
    >
      <p>
        The dashboard cannot reach the Payday API right now, so we cannot show or change your data. Your
        payments are not affected by this page.
      </p>
      <p>
        Wait a minute and reload the page. If you submitted a form, check whether it went through before
        trying again.
      </p>
    </ErrorPage>
  );
}

export function CsrfPage(props: { user?: LayoutProps['user'] }) {
  return (
    <ErrorPage status={403} title="This form has expired" user={props.user}>
      <p>For your security the form could not be accepted, and nothing was changed.</p>
      <p>Go back, reload the page, and submit the form again.</p>
    </ErrorPage>
  );
}

export function RateLimitedPage(props: { user?: LayoutProps['user'] }) {
  return (
    <ErrorPage status={429} title="Too many requests" user={props.user}>
      <p>The Payday API asked us to slow down. Wait a minute, then reload the page.</p>
    </ErrorPage>
  );
}
