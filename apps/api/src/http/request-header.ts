import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/**
 * A request header's value as `c.req.header(name)` gives it (`name` in lower case): absent is
 * undefined, repeated fields are joined with ", " in order (the Fetch standard's "get" of a
 * header list, which is what undici's Headers does).
 *
 * Served by @hono/node-server, it reads Node's `rawHeaders` directly: `c.req.header()` there
 * makes the lightweight request build a WHATWG Headers of every request header on first use,
 * a few microseconds of each GET (bench/README.md, "API: where the time goes"). Elsewhere
 * (`app.request()` in tests) it is `c.req.header()`.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) return c.req.header(name);
  const raw = incoming.rawHeaders;
  let value: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const field = raw[i]!;
    if (field.length === name.length && field.toLowerCase() === name) {
      // Leading and trailing whitespace is not part of a field value (RFC 9110 §5.5).
      const v = raw[i + 1]!.trim();
      value = value === undefined ? v : `${value}, ${v}`;
    }
  }
  return value;
}
