/**
 * `npm start`: the whole product on this machine, no setup (README.md "Quick start"; the
 * services themselves are in start-services.ts).
 *
 * Why a second process: Ctrl-C in a terminal sends SIGINT to the whole foreground process group,
 * and the embedded PostgreSQL is a child process in that group. It would begin a fast shutdown at
 * once, while the worker and the API still drain against it, and the stop would end in errors.
 * So the services run in their own process group (`detached`), this process forwards SIGINT and
 * SIGTERM to their process only, and they stop the database last.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const services = fileURLToPath(new URL('./start-services.ts', import.meta.url));
// process.execArgv carries tsx's loader, so the child runs TypeScript the way this process does.
const child = spawn(process.execPath, [...process.execArgv, services, ...process.argv.slice(2)], {
  stdio: ['ignore', 'inherit', 'inherit'],
  detached: true,
});

const forward = (signal: NodeJS.Signals) => () => {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
process.on('SIGINT', forward('SIGINT'));
process.on('SIGTERM', forward('SIGTERM'));
child.on('error', (error) => {
  console.error(`npm start failed: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
