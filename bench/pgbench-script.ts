import { readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { hasPgbench, type PgbenchRun, pgbench } from './pgbench.js';

/**
 * Runs a pgbench custom script the way `pgbench -n -M prepared` runs it, without pgbench: `npm
 * test` must pass on a machine without PostgreSQL's client tools, and the suites' script tests
 * (api.test.ts, queue-peers.test.ts) check what a script writes, not pgbench itself. Only what
 * the suites' scripts use is understood: `\set NAME random(LO, HI)` lines and one SQL statement
 * whose `:NAME` variables (from `\set` or `-D NAME=VALUE`) become bind parameters, as `-M
 * prepared` binds them (PostgreSQL docs, pgbench, "Custom Scripts"); anything else is an error.
 */
export async function runScriptWithoutPgbench(url: string, run: PgbenchRun): Promise<number> {
  const { clients, transactions = 1, defines = [] } = run;
  const script = await readFile(run.script, 'utf8');
  const fixed = new Map<string, string>();
  for (let i = 0; i < defines.length; i += 2) {
    const d = defines[i + 1] ?? '';
    if (defines[i] !== '-D' || !d.includes('=')) throw new Error(`not a pgbench define: ${defines[i]} ${d}`);
    fixed.set(d.slice(0, d.indexOf('=')), d.slice(d.indexOf('=') + 1));
  }
  const randoms: { name: string; lo: bigint; hi: bigint }[] = [];
  const sqlLines: string[] = [];
  for (const line of script.split('\n')) {
    const set = /^\\set (\w+) random\((\d+), (\d+)\)$/.exec(line.trim());
    if (set) randoms.push({ name: set[1]!, lo: BigInt(set[2]!), hi: BigInt(set[3]!) });
    else if (line.trim().startsWith('\\')) throw new Error(`pgbench meta-command not understood: ${line}`);
    else if (line.trim()) sqlLines.push(line);
  }
  const names: string[] = [];
  // `:name` is a variable; `::type` is a cast (neither colon of it starts a variable).
  const text = sqlLines
    .join('\n')
    .trim()
    .replace(/;$/, '')
    .replace(/(?<!:):([A-Za-z_]\w*)/g, (_, name: string) => {
      if (!fixed.has(name) && !randoms.some((r) => r.name === name))
        throw new Error(`pgbench variable :${name} is never set`);
      names.push(name);
      return `$${names.length}`;
    });
  if (text.includes(';')) throw new Error('only one SQL statement per script is understood');
  const random = (lo: bigint, hi: bigint) =>
    String(lo + (BigInt(Math.floor(Math.random() * 2 ** 52)) % (hi - lo + 1n)));
  const sql = postgres(url, { max: clients, onnotice: () => {} });
  try {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        for (let t = 0; t < transactions; t++) {
          const values = new Map(fixed);
          for (const r of randoms) values.set(r.name, random(r.lo, r.hi));
          await sql
            .unsafe(
              text,
              names.map((n) => values.get(n)!),
              { prepare: true },
            )
            .catch((err: Error) => {
              throw new Error(`the script's statement failed: ${err.message}\n${text}`);
            });
        }
      }),
    );
  } finally {
    await sql.end();
  }
  return clients * transactions;
}

/** Transactions a script processed: through pgbench where it runs, else {@link runScriptWithoutPgbench}. */
export async function runScript(url: string, run: PgbenchRun): Promise<number> {
  if (!hasPgbench()) return runScriptWithoutPgbench(url, run);
  const { stdout } = await pgbench(url, run);
  const m = /number of transactions actually processed: (\d+)\//.exec(stdout);
  if (!m) throw new Error(`could not read the processed transactions from:\n${stdout}`);
  return Number(m[1]);
}
