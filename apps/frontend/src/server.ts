/**
 * Serves the dashboard on a port and shuts it down gracefully (runbooks: graceful shutdown;
 * docs/design/apps.md §Graceful shutdown): on close, `/readyz` turns 503 first,
 * requests keep being served for `shutdownDelayMs` while load balancers stop routing here, then
 * the listener closes, in-flight requests finish, and idle keep-alive sockets are closed.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import pino, { type Logger } from 'pino';
import type { DashboardApi } from './api.js';
import { createDashboardApi } from './api-client.js';
import { createApp } from './app.js';
import type { FrontendConfig } from './config.js';
import { createMetrics } from './http/metrics.js';

export interface RunningFrontend {
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Defaults to the typed API client pointed at `config.apiUrl`. */
  api?: DashboardApi;
}

export async function start(config: FrontendConfig, options: StartOptions = {}): Promise<RunningFrontend> {
  const logger =
    options.logger ?? pino({ level: config.logLevel, base: { app: 'frontend', version: config.version } });
  const api = options.api ?? createDashboardApi({ baseUrl: config.apiUrl, timeoutMs: config.apiTimeoutMs });
  let draining = false;
  const app = createApp({
    api,
    config,
    logger,
    metrics: createMetrics(config.version),
    isDraining: () => draining,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
      resolve(s as Server),
    );
    s.once('error', reject);
  });
  // Longer than typical load-balancer idle timeouts so the LB, not Node, closes idle sockets.
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host}:${port}`;
  logger.info({ url, api: config.apiUrl }, 'frontend listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= (async () => {
        draining = true;
        logger.info({ delayMs: config.shutdownDelayMs }, 'draining: readiness is now 503');
        if (config.shutdownDelayMs > 0) await new Promise((r) => setTimeout(r, config.shutdownDelayMs));
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        // In-flight requests are done: the kept-alive connections to the API can go (only the
        // client this server made; one passed in belongs to its caller).
        if (!options.api) await api.close?.();
        logger.info('frontend stopped');
      })();
      return closing;
    },
  };
}
