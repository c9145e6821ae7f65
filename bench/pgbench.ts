import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface PgbenchRun {
  /** A pgbench custom script file. */
  script: string;
  clients: number;
  /** Run for this long (`-T`) … */
  seconds?: number;
  /** … or this many transactions per client (`-t`). */
  transactions?: number;
}

/**
 * Runs pgbench (`-n -M prepared`, one thread) against `url` and returns its transactions per
 * second without the initial connection time; a run with failed transactions is an error, so a
 * baseline never counts work that did not happen.
 */
export async function pgbenchTps(url: string, run: PgbenchRun): Promise<number> {
  const u = new URL(url);
  const length =
    run.seconds !== undefined ? ['-T', String(run.seconds)] : ['-t', String(run.transactions ?? 1)];
  const { stdout } = await exec(
    'pgbench',
    [
      '-n',
      '-M',
      'prepared',
      '-c',
      String(run.clients),
      '-j',
      '1',
      ...length,
      '-f',
      run.script,
      '-h',
      u.hostname,
      '-p',
      u.port,
      '-U',
      u.username,
      u.pathname.slice(1),
    ],
    { env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) } },
  );
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
  if (!m) throw new Error(`could not read pgbench tps from:\n${stdout}`);
  const failed = /number of failed transactions: (\d+)/.exec(stdout);
  if (failed && failed[1] !== '0') throw new Error(`pgbench: ${failed[1]} failed transactions`);
  return Number(m[1]);
}
