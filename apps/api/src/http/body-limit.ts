import type { HttpBindings } from '@hono/node-server';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';

/**
 * Request bodies larger than `maxSize` bytes are refused with 413, before a route reads them.
 *
 * Served by @hono/node-server, a request that declares its length (`Content-Length`, no
 * `Transfer-Encoding`) is judged by that header straight from Node's IncomingMessage: Node's
 * parser delivers exactly that many bytes (RFC 9112 §6.3), so the header is the size. hono's
 * `bodyLimit` reads `c.req.raw.body` first, which makes @hono/node-server build a full WHATWG
 * Request (Headers, AbortController, a ReadableStream over the socket) for every POST: a tenth of
 * a POST's CPU time in a profile (bench/README.md, "API: where the time goes"). The route then
 * reads the body through @hono/node-server's direct path (`text()` on the IncomingMessage). Every
 * other request (chunked, no length, `app.request()` in tests) goes through hono's `bodyLimit`,
 * which counts the bytes as they arrive.
 */
export function bodyLimit(maxSize: number): MiddlewareHandler {
  const tooLarge = (): never => {
    throw new HTTPException(413);
  };
  const counted = honoBodyLimit({ maxSize, onError: tooLarge });
  return (c, next) => {
    const headers = (c.env as Partial<HttpBindings> | undefined)?.incoming?.headers;
    const length = headers?.['content-length'];
    if (length !== undefined && headers?.['transfer-encoding'] === undefined) {
      // The comparison hono's bodyLimit makes for a declared length.
      return Number.parseInt(length, 10) > maxSize ? tooLarge() : next();
    }
    return counted(c, next);
  };
}
