/**
 * The container entrypoint (`node --import tsx apps/api/src/main.ts`, PID 1 in exec form so it
 * receives SIGTERM). Validates the environment, serves, and shuts down gracefully on SIGTERM or
 * SIGINT, exiting 0 once drained.
 */
import { EnvError, loadEnv } from './config.js';
import { start } from './server.js';
import { createLogger } from './telemetry/logger.js';

async function main(): Promise<void> {
  let env: ReturnType<typeof loadEnv>;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger({ level: env.LOG_LEVEL, version: env.APP_VERSION });
  const api = await start({ env, logger });
  logger.info({ url: api.url }, 'payday api listening');
  const stop = (signal: string) => {
    logger.info({ signal }, 'signal received');
    api.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // `on`, not `once`: a second signal must not fall through to the default (immediate exit)
  // while draining; `close()` is idempotent.
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
