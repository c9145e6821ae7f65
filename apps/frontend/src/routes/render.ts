/** Helpers every route uses to render a page for the current session. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../context-variables.js';
import type { LayoutProps } from '../views/layout.js';

/** The signed-in user as the layout shows it, or undefined when signed out. */
export function userOf(c: Context<AppEnv>): LayoutProps['user'] {
  const s = c.get('session');
  return s?.token ? { email: s.email ?? '', merchantName: s.merchantName, csrf: s.csrf } : undefined;
}

/**
 * Sends a rendered page. Dashboard pages hold account data (and sometimes a secret shown once),
 * so they are never stored by the browser or a proxy (RFC 9111 §5.2.2.5 `no-store`).
 */
export function page(c: Context<AppEnv>, body: unknown, status: ContentfulStatusCode = 200) {
  c.header('Cache-Control', 'no-store');
  return c.html(body as string, status);
}

/** Post/redirect/get (303 See Other, RFC 9110 §15.4.4): a reload never re-submits a form. */
export function seeOther(c: Context<AppEnv>, location: string) {
  return c.redirect(location, 303);
}

/** Reads a urlencoded form as plain strings (files and repeated fields are not used here). */
export async function formOf(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}
