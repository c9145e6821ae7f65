/**
 * The dashboard session: a sealed cookie (see sealed-cookie.ts) holding the CSRF token and, once
 * signed in, the API's dashboard token. Cookie attributes follow OWASP Session Management:
 * `HttpOnly` (no script can read it), `SameSite=Lax` (not sent on cross-site form posts),
 * `Secure`, and the `__Host-` prefix when secure (RFC 6265bis §4.1.3.2: no Domain, Path=/,
 * cannot be planted by a sibling subdomain).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../context-variables.js';
import type { Sealer } from './sealed-cookie.js';

export interface Flash {
  kind: 'success' | 'error';
  text: string;
}

export interface SessionData {
  /** Synchronizer token every form echoes back (OWASP CSRF Prevention Cheat Sheet). */
  csrf: string;
  /** Absolute expiry, epoch milliseconds. */
  exp: number;
  /** Dashboard session token (`dst_…`) from `POST /v1/dashboard/login`. */
  token?: string;
  email?: string;
  merchantName?: string | null;
  /** One message shown on the next page (post/redirect/get). */
  flash?: Flash;
  /** Set when a signed-in session ran out, to explain the sign-in page. */
  expired?: boolean;
}

export interface SessionOptions {
  sealer: Sealer;
  secure: boolean;
  ttlSeconds: number;
  now: () => number;
}

const COOKIE_GRACE_SECONDS = 24 * 3600;

export function cookieName(secure: boolean): string {
  return secure ? '__Host-payday_session' : 'payday_session';
}

export function newSession(options: SessionOptions, extra: Partial<SessionData> = {}): SessionData {
  return {
    csrf: randomBytes(24).toString('base64url'),
    exp: options.now() + options.ttlSeconds * 1000,
    ...extra,
  };
}

function isSession(value: unknown): value is SessionData {
  const v = value as SessionData | undefined;
  return typeof v?.csrf === 'string' && typeof v.exp === 'number';
}

/** Loads (or starts) the session into `c.var.session`; an expired signed-in session becomes a new anonymous one. */
export function sessionMiddleware(options: SessionOptions): MiddlewareHandler<AppEnv> {
  const name = cookieName(options.secure);
  return async (c, next) => {
    c.set('sessionOptions', options);
    const raw = getCookie(c, name);
    const opened = raw ? options.sealer.open(raw) : undefined;
    if (isSession(opened) && opened.exp > options.now()) {
      c.set('session', opened);
    } else {
      const wasSignedIn = isSession(opened) && opened.token !== undefined;
      const fresh = newSession(options, wasSignedIn ? { expired: true } : {});
      c.set('session', fresh);
      saveSession(c, options, fresh);
    }
    await next();
  };
}

export function saveSession(c: Context<AppEnv>, options: SessionOptions, data: SessionData): void {
  c.set('session', data);
  setCookie(c, cookieName(options.secure), options.sealer.seal(data), {
    httpOnly: true,
    secure: options.secure,
    sameSite: 'Lax',
    path: '/',
    // The sealed `exp` is what counts. The cookie itself is kept a day longer so that a person
    // coming back after expiry is told "your session has expired" instead of a bare sign-in page.
    maxAge: Math.max(0, Math.floor((data.exp - options.now()) / 1000)) + COOKIE_GRACE_SECONDS,
  });
}

export function clearSession(c: Context<AppEnv>, options: SessionOptions): void {
  deleteCookie(c, cookieName(options.secure), { path: '/', secure: options.secure });
}

/** Takes the pending flash message (and clears it from the cookie). */
export function takeFlash(c: Context<AppEnv>): Flash | undefined {
  const options = c.get('sessionOptions');
  const s = c.var.session;
  if (!s.flash && !s.expired) return undefined;
  const flash: Flash | undefined =
    s.flash ?? (s.expired ? { kind: 'error', text: 'Your session has expired. Sign in again.' } : undefined);
  const { flash: _f, expired: _e, ...rest } = s;
  saveSession(c, options, rest);
  return flash;
}

export function setFlash(c: Context<AppEnv>, flash: Flash): void {
  saveSession(c, c.get('sessionOptions'), { ...c.var.session, flash });
}

export function csrfMatches(session: SessionData, submitted: unknown): boolean {
  if (typeof submitted !== 'string') return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}
