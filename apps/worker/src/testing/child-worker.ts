/** Runs the real container entrypoint (main.ts) as a child process, for crash and drain tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'main.ts');
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

export interface ChildWorker {
  proc: ChildProcess;
  /** Resolves when the worker logged "worker started". */
  started: Promise<void>;
  /** Exit code, or the signal name when killed. */
  exited: Promise<number | string>;
  output(): string;
}

export function spawnWorker(env: Record<string, string>): ChildWorker {
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: REPO,
    env: { ...process.env, WORKER_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let onStart: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    onStart = resolve;
  });
  const collect = (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('"msg":"worker started"')) onStart();
  };
  proc.stdout!.on('data', collect);
  proc.stderr!.on('data', collect);
  const exited = new Promise<number | string>((resolve) => {
    proc.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return { proc, started, exited, output: () => out };
}
