/**
 * The page frame: landmarks (header/nav/main/footer), a skip link as the first focusable
 * element (WCAG 2.2 SC 2.4.1), the current page marked with `aria-current`, and flash messages
 * in a live region so screen readers announce the result of a form (SC 4.1.3).
 */

import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Flash } from '../session/session.js';
import { ASSETS } from './assets.js';

export type Section = 'overview' | 'payments' | 'payouts' | 'webhooks' | 'api-keys' | 'none';

export interface LayoutProps {
  title: string;
  section?: Section;
  /** Present when signed in: shows the navigation and the sign-out form. */
  user?: { email: string; merchantName?: string | null; csrf: string };
  flash?: Flash;
  children?: Child;
}

const NAV: { section: Section; href: string; label: string }[] = [
  { section: 'overview', href: '/', label: 'Overview' },
  { section: 'payments', href: '/payments', label: 'Payments' },
  { section: 'payouts', href: '/payouts', label: 'Payouts' },
  { section: 'webhooks', href: '/webhooks', label: 'Webhooks' },
  { section: 'api-keys', href: '/api-keys', label: 'API keys' },
];

export function Layout({ title, section = 'none', user, flash, children }: LayoutProps) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${title} · Payday`}</title>
          <link rel="stylesheet" href={ASSETS.css} />
          <script src={ASSETS.js} defer></script>
        </head>
        <body>
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          <header class="site-header">
            <a class="brand" href="/">
              Payday
            </a>
            {user ? (
              <>
                <nav aria-label="Main">
                  <ul>
                    {NAV.map((n) => (
                      <li>
                        <a href={n.href} aria-current={n.section === section ? 'page' : undefined}>
                          {n.label}
                        </a>
                      </li>
                    ))}
                  </ul>
                </nav>
                <form method="post" action="/logout" class="signout">
                  <input type="hidden" name="_csrf" value={user.csrf} />
                  <span class="who">
                    {user.merchantName ? `${user.merchantName} · ${user.email}` : user.email}
                  </span>
                  <button type="submit" class="link-button">
                    Sign out
                  </button>
                </form>
              </>
            ) : null}
          </header>
          <main id="main" tabindex={-1}>
            {flash ? (
              <div class={`flash flash-${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'}>
                {flash.text}
              </div>
            ) : null}
            {children}
          </main>
          <footer class="site-footer">
            <p>Payday merchant dashboard · times are shown in UTC</p>
          </footer>
        </body>
      </html>
    </>
  );
}
