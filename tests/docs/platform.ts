/**
 * `npm start` as a child process for the doc tests: scripts/start.ts with its own embedded
 * PostgreSQL in a scratch data folder and free loopback ports, so it never touches the
 * developer's `.data/` or a running `npm start`. Exactly what a user runs, only relocated.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** An unused loopback TCP port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The documented default of each setting, and the value this run uses instead. */
export interface Ports {
  API_PORT: number;
  FRONTEND_PORT: number;
  WORKER_PORT: number;
  WEBHOOK_SINK_PORT: number;
  PAYDAY_PG_PORT: number;
}

export const DEFAULT_PORTS: Ports = {
  API_PORT: 3000,
  FRONTEND_PORT: 3001,
  WORKER_PORT: 3002,
  WEBHOOK_SINK_PORT: 3003,
  PAYDAY_PG_PORT: 5433,
};

export async function freePorts(): Promise<Ports> {
  const out = {} as Ports;
  for (const key of Object.keys(DEFAULT_PORTS) as (keyof Ports)[]) out[key] = await freePort();
  return out;
}

export interface StartedPlatform {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived. */
  output(): string;
  /** Resolves once the output contains `text` (rejects if the process exits first). */
  waitFor(text: string): Promise<void>;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
  /** Ctrl-C: SIGINT to the process group (npm start and the PostgreSQL it started). */
  interrupt(): void;
}

/** Starts scripts/start.ts (`npm start`) with `args`, `ports` and `dataDir`. */
export function startPlatform(args: string[], ports: Ports, dataDir: string): StartedPlatform {
  const env: NodeJS.ProcessEnv = { ...process.env, PAYDAY_DATA_DIR: dataDir, FORCE_COLOR: '0' };
  for (const [k, v] of Object.entries(ports)) env[k] = String(v);
  delete env.DATABASE_URL;
  // scripts/start.ts under node with tsx's loader: what `npm start` runs, minus the npm wrapper.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...args], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, like a shell's foreground job: `interrupt()` signals the whole
    // group, as Ctrl-C in a terminal does (the embedded PostgreSQL included).
    detached: true,
  });
  let text = '';
  const waiters: { needle: string; resolve(): void }[] = [];
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const w of waiters.splice(0)) {
      if (text.includes(w.needle)) w.resolve();
      else waiters.push(w);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return {
    child,
    output: () => text,
    exited,
    interrupt() {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGINT');
    },
    waitFor(needle) {
      if (text.includes(needle)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        waiters.push({ needle, resolve });
        void exited.then((code) =>
          reject(new Error(`npm start exited (${code}) before printing "${needle}":\n${text}`)),
        );
      });
    },
  };
}
