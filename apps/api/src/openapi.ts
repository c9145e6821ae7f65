import { createDatabase } from '@payday/db';
import pino from 'pino';
import { createApp, OPENAPI_INFO } from './app.js';
import { createMetrics } from './http/metrics.js';

/**
 * The OpenAPI 3.1 document, generated from the route schemas. Building it needs an app but no
 * database: postgres.js connects lazily, and nothing here runs a query, so the pool below never
 * opens a connection.
 */
export function openApiDocument() {
  const app = createApp({
    database: createDatabase('postgres://openapi@127.0.0.1:1/unused', { max: 1 }),
    logger: pino({ level: 'silent' }),
    metrics: createMetrics({ version: 'openapi', defaultMetrics: false }),
    version: 'openapi',
    lifecycle: { draining: false },
  });
  return app.getOpenAPI31Document({ openapi: '3.1.0', info: OPENAPI_INFO });
}
