import type { HttpBindings } from '@hono/node-server';
import { Hono, type MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;

/**
 * The headers hono's `secureHeaders` sets with `options`, found once by running it on a
 * throwaway app: the values stay the library's, only the moment they are set changes.
 */
async function secureHeaderList(options: Partial<SecureHeadersOptions>): Promise<[string, string][]> {
  const probe = new Hono();
  probe.use(secureHeaders(options));
  probe.get('/', (c) => c.body(null, 204));
  return [...(await probe.request('/')).headers];
}

/**
 * Security headers (hono `secureHeaders` with `options`), `Cache-Control: no-store` on /v1/
 * and `Connection: close` while draining, all set BEFORE the handler runs. Hono's own
 * middleware sets them after `next()`, and a header set on a finished response makes
 * @hono/node-server turn its cached string body into a WHATWG ReadableStream and stream it
 * out: a third of a request's CPU time under load. Served by @hono/node-server, they go
 * straight onto Node's ServerResponse (`setHeader`, merged by the `writeHead` that sends the
 * response), so no WHATWG Headers object of a dozen entries is built and sorted per request;
 * elsewhere (`app.request()` in tests) they are prepared on the context.
 */
export function responseHeaders(
  options: Partial<SecureHeadersOptions>,
  lifecycle: { draining: boolean },
): MiddlewareHandler {
  const list = secureHeaderList(options);
  let headers: [string, string][] | undefined;
  return async (c, next) => {
    headers ??= await list;
    const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
    const api = c.req.path.startsWith('/v1/');
    // While draining, ask keep-alive clients to close so no request lands on a closing socket
    // (nodejs/node#60617: idle keep-alive sockets are reset when the server closes).
    const drainingAtStart = lifecycle.draining;
    if (outgoing) {
      for (const [name, value] of headers) outgoing.setHeader(name, value);
      // API responses carry account data: never cached (RFC 9111 §5.2.2.5).
      if (api) outgoing.setHeader('Cache-Control', 'no-store');
      if (drainingAtStart) outgoing.setHeader('Connection', 'close');
      await next();
      if (lifecycle.draining && !drainingAtStart) outgoing.setHeader('Connection', 'close');
      return;
    }
    const apply = () => {
      for (const [name, value] of headers!) c.header(name, value);
      if (api) c.header('Cache-Control', 'no-store');
    };
    apply();
    if (drainingAtStart) c.header('Connection', 'close');
    await next();
    // A handler that returns a Response of its own skips the prepared headers: set them now
    // (the slow path, as before; Headers already exists, the check is cheap).
    const [first] = headers;
    if (first && !c.res.headers.has(first[0])) apply();
    if (lifecycle.draining && !drainingAtStart) c.header('Connection', 'close');
  };
}
