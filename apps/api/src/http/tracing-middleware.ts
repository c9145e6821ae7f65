import { context, propagation, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { tracer } from '../telemetry/tracing.js';

/**
 * One SERVER span per request, continuing the caller's trace from `traceparent`, named by
 * route template (`POST /v1/payments`) with the stable HTTP semantic-convention attributes.
 */
export function tracingMiddleware(): MiddlewareHandler {
  return async (c, next) => {
    const parent = propagation.extract(context.active(), Object.fromEntries(c.req.raw.headers));
    await tracer().startActiveSpan(
      c.req.method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': c.req.method, 'url.path': c.req.path } },
      parent,
      async (span) => {
        try {
          await next();
          const route = routePath(c);
          span.updateName(`${c.req.method} ${route}`);
          span.setAttribute('http.route', route);
          span.setAttribute('http.response.status_code', c.res.status);
          if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        } finally {
          span.end();
        }
      },
    );
  };
}
