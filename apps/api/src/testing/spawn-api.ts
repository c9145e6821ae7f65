import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort } from '@payday/db/testing';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

export interface SpawnedApi {
  url: string;
  child: ChildProcess;
  /** Log messages (the `message` field of each JSON line) seen so far. */
  messages: string[];
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

export interface SpawnOptions {
  /**
   * The script node runs (relative to the repository root or absolute): by default the
   * TypeScript entrypoint through tsx; the benchmark passes the esbuild bundle the image runs.
   */
  entry?: string;
  /** Node options before the script (default `--import tsx`, needed for the TypeScript entry). */
  nodeArgs?: string[];
}

/**
 * Runs the real entrypoint (`apps/api/src/main.ts`) in its own process, as the container does,
 * and resolves once it logs that it listens. Used by the shutdown test and the benchmarks, where
 * the server must not share an event loop with the load generator.
 */
export async function spawnApi(env: Record<string, string>, options: SpawnOptions = {}): Promise<SpawnedApi> {
  const port = env.API_PORT ?? String(await freePort());
  const args = [...(options.nodeArgs ?? ['--import', 'tsx']), options.entry ?? 'apps/api/src/main.ts'];
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    env: { ...process.env, LOG_LEVEL: 'info', ...env, API_PORT: port },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const messages: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      messages.push((JSON.parse(line) as { message?: string }).message ?? '');
    } catch {
      messages.push(line);
    }
  });
  // Ready when /healthz answers (works at any LOG_LEVEL, unlike waiting for a log line).
  const url = `http://127.0.0.1:${port}`;
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  for (;;) {
    if (exitCode !== undefined)
      throw new Error(`api exited with ${exitCode} before listening: ${messages.join(' | ')}`);
    const up = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { url, child, messages, exited };
    await new Promise((r) => setTimeout(r, 50));
  }
}
