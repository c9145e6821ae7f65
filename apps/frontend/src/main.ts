/**
 * Container entrypoint: `node --import tsx apps/frontend/src/main.ts` (or `tsx`). Exits 1 with
 * every configuration problem listed, drains on SIGTERM/SIGINT (Kubernetes sends SIGTERM after
 * the preStop sleep), and exits 0 once in-flight requests are done.
 */
import { ConfigError, loadConfig } from './config.js';
import { start } from './server.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const running = await start(config);
  const stop = (signal: string) => {
    process.stderr.write(`${signal} received: draining\n`);
    running.close().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(
    `frontend failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
