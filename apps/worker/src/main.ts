/**
 * Container entrypoint (`node --import tsx apps/worker/src/main.ts`, PID 1 in exec form so it
 * receives SIGTERM). On SIGTERM/SIGINT: /readyz turns 503, the runner stops claiming, in-flight
 * jobs finish within WORKER_DRAIN_TIMEOUT_MS or go back to the queue, and the process exits 0
 * before Kubernetes' terminationGracePeriodSeconds ends (docs/design/apps.md §Graceful shutdown).
 */
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './observability/logger.js';
import { startTracing } from './observability/tracing.js';
import { start } from './start.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger({ level: config.logLevel, workerId: config.workerId, version: config.version });
  const stopTracing = await startTracing({ endpoint: config.otlpEndpoint, version: config.version });
  const worker = await start(config, { log });
  let signals = 0;
  const shutdown = (signal: string) => {
    signals++;
    if (signals > 1) {
      log.warn({ signal }, 'second signal: exiting now; held jobs return when their leases expire');
      process.exit(1);
    }
    log.info({ signal }, 'shutting down');
    void worker
      .close()
      .then(stopTracing)
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

await main();
