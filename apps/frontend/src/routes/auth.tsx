/**
 * Sign-in and sign-out. The password goes to the API (`POST /v1/dashboard/login`, scrypt
 * hashes there); the dashboard keeps only the returned token, sealed in its session cookie.
 * A successful sign-in starts a brand-new session (new CSRF token) so a session id planted
 * before sign-in is worthless (OWASP Session Management: renew on privilege change).
 */

import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { ApiError, type DashboardApi } from '../api.js';
import type { AppEnv } from '../context-variables.js';
import type { LoginLimiter } from '../session/login-limiter.js';
import {
  clearSession,
  newSession,
  type SessionOptions,
  saveSession,
  setFlash,
  takeFlash,
} from '../session/session.js';
import { LoginPage } from '../views/login-page.js';
import { formOf, page, seeOther } from './render.js';

export interface AuthDeps {
  api: DashboardApi;
  session: SessionOptions;
  limiter: LoginLimiter;
  trustProxy: boolean;
  now: () => number;
}

function clientAddress(c: Context<AppEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in tests has no socket.
  }
}

function waitText(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  return minutes <= 1 ? 'a minute' : `${minutes} minutes`;
}

export function authRoutes(deps: AuthDeps) {
  const app = new Hono<AppEnv>();

  app.get('/login', (c) => {
    if (c.get('session').token) return seeOther(c, '/');
    return page(c, <LoginPage csrf={c.get('session').csrf} flash={takeFlash(c)} />);
  });

  app.post('/login', async (c) => {
    const form = await formOf(c);
    const email = (form.email ?? '').trim();
    const password = form.password ?? '';
    const csrf = c.get('session').csrf;
    if (!email || !password) {
      return page(
        c,
        <LoginPage csrf={csrf} email={email} error="Enter your email address and password." />,
        400,
      );
    }
    const address = clientAddress(c, deps.trustProxy);
    const wait = deps.limiter.retryAfterMs(email, address);
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      return page(
        c,
        <LoginPage
          csrf={csrf}
          email={email}
          error={`Too many failed sign-in attempts. Wait ${waitText(wait)} and try again, or ask your account owner to reset your password.`}
        />,
        429,
      );
    }
    try {
      const login = await deps.api.login(email, password, { requestId: c.get('requestId') });
      deps.limiter.recordSuccess(email, address);
      const expiresAt = Date.parse(login.expiresAt);
      const fresh = newSession(deps.session, {
        token: login.token,
        email: login.email,
        merchantName: login.merchantName,
      });
      if (Number.isFinite(expiresAt)) fresh.exp = Math.min(fresh.exp, expiresAt);
      saveSession(c, deps.session, fresh);
      return seeOther(c, '/');
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 400 || err.status === 422)) {
        deps.limiter.recordFailure(email, address);
        return page(c, <LoginPage csrf={csrf} email={email} error="Email or password is incorrect." />, 401);
      }
      if (err instanceof ApiError && err.status === 429) {
        return page(
          c,
          <LoginPage
            csrf={csrf}
            email={email}
            error="Too many failed sign-in attempts. Wait a few minutes and try again."
          />,
          429,
        );
      }
      throw err;
    }
  });

  app.post('/logout', async (c) => {
    const token = c.get('session').token;
    if (token) {
      // Revoke the API session too, so a copied cookie is useless after sign-out; if the API is
      // down the local session still ends (the token then expires on its own).
      await deps.api
        .forToken(token, { requestId: c.get('requestId') })
        .logout()
        .catch(() => {});
    }
    clearSession(c, deps.session);
    saveSession(c, deps.session, newSession(deps.session));
    setFlash(c, { kind: 'success', text: 'You have signed out.' });
    return seeOther(c, '/login');
  });

  return app;
}
