import { randomUUID } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../types.js';
import { requestHeader } from './request-header.js';

/** What a caller's `X-Request-Id` may be to be kept (hono's `requestId` rule): ≤ 255 of [A-Za-z0-9_=-]. */
const SANE_ID = /^[\w\-=]{1,255}$/;

/**
 * `c.var.requestId`: the caller's `X-Request-Id` when it is sane, else a random UUID, echoed in
 * the response. The same rule as hono's `requestId` middleware, which this replaces because it
 * sets the response header through `c.header()`: that gives the context a WHATWG Headers and
 * takes every response off @hono/node-server's plain-object path (bench/README.md, "API: where
 * the time goes"). Served by @hono/node-server, the header goes straight onto Node's
 * ServerResponse (merged by `writeHead`, as http/response-headers.ts does); elsewhere
 * (`app.request()` in tests) through `c.header()`.
 */
export function requestId(): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    const given = requestHeader(c, 'x-request-id');
    const id = given !== undefined && SANE_ID.test(given) ? given : randomUUID();
    c.set('requestId', id);
    const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
    if (outgoing) outgoing.setHeader('X-Request-Id', id);
    else c.header('X-Request-Id', id);
    return next();
  };
}
