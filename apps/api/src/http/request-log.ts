import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from 'pino';
import type { AppEnv } from '../types.js';

/**
 * A child logger per request carrying `request_id` (from `X-Request-Id` when the caller sent a
 * sane one, else generated; echoed in the response), and one access line when it ends.
 *
 * At `LOG_LEVEL=silent` nothing is written, so no child is made either: pino builds a child's
 * bindings (and its redaction) eagerly, a few microseconds per request for lines that are never
 * written. Code that logs falls back to the app's logger (`c.get('logger') ?? deps.logger`).
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  const logged: MiddlewareHandler<AppEnv> = async (c, next) => {
    const log = logger.child({ request_id: c.get('requestId') });
    c.set('logger', log);
    const start = process.hrtime.bigint();
    await next();
    const status = c.res.status;
    log[status >= 500 ? 'error' : 'info'](
      {
        method: c.req.method,
        route: routePath(c),
        status,
        duration_ms: Math.round(Number(process.hrtime.bigint() - start) / 1e5) / 10,
      },
      'request',
    );
  };
  // Not async itself: when silent, the request goes on without a promise of this layer's own.
  return (c, next) => (logger.isLevelEnabled('fatal') ? logged(c, next) : next());
}
