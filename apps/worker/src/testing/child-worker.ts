/** Runs the real container entrypoint (main.ts) as a child process, for crash and drain tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'main.ts');
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

export interface ChildWorker {
  proc: ChildProcess;
  /**
   * Resolves when the worker logged "worker started" (needs LOG_LEVEL info or lower); rejects
   * with the output if it exits first or takes longer than 60 s.
   */
  started: Promise<void>;
  /** Exit code, or the signal name when killed. */
  exited: Promise<number | string>;
  output(): string;
}

export function spawnWorker(env: Record<string, string>): ChildWorker {
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: REPO,
    env: { ...process.env, WORKER_PORT: '0', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let onStart: () => void = () => {};
  let onFail: (err: Error) => void = () => {};
  const started = new Promise<void>((resolve, reject) => {
    onStart = resolve;
    onFail = reject;
  });
  const timer = setTimeout(() => onFail(new Error(`worker did not start within 60 s:\n${out}`)), 60_000);
  started.then(
    () => clearTimeout(timer),
    () => clearTimeout(timer),
  );
  const collect = (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('"msg":"worker started"')) onStart();
  };
  proc.stdout!.on('data', collect);
  proc.stderr!.on('data', collect);
  const exited = new Promise<number | string>((resolve) => {
    proc.on('exit', (code, signal) => {
      onFail(new Error(`worker exited (${code ?? signal}) before it started:\n${out}`));
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return { proc, started, exited, output: () => out };
}
