import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { requestHeader } from './request-header.js';

/**
 * The address a request came from, for per-address limits. The socket's peer by default; behind
 * a reverse proxy (the cluster's ingress) that is the proxy for every client, so with
 * `trustProxy` the right-most `X-Forwarded-For` entry is used instead: the one the nearest
 * proxy appended, which the client cannot forge (RFC 7239 §5.2 describes the same chain for
 * `Forwarded`). `unknown` when neither exists (in-process requests in tests).
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const last = requestHeader(c, 'x-forwarded-for')?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}
