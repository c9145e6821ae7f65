/**
 * The crash step of `queue-peers` alone, at the suite's sizes, to check it without the rest:
 *
 *   npx tsx bench/queue-crash/run.ts [--quick] [--rounds N]
 *
 * Starts the same throwaway PostgreSQL as the suite (bench/postgres.ts, production durability),
 * runs bench/queue-crash/crash.ts's measure (2,000 jobs and a 60 s cap; 200 and 30 s with
 * `--quick`), prints every round of every queue and the table rows the suite would add.
 * Exit code 1 when our queue failed (it throws); a failed peer is a FAILED row, as in the suite.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchContext } from '../harness.js';
import { planCpus } from '../pinning.js';
import { startBenchPostgres } from '../postgres.js';
import { HEADER, rows, textTable } from '../report.js';
import { crashMeasurements, measureCrash } from './crash.js';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, rounds: { type: 'string', default: '1' } },
});
const quick = values.quick!;
const tmpDir = await mkdtemp(join(tmpdir(), 'bench-crash-'));
const started = Date.now();
const ctx: BenchContext = {
  quick,
  cpus: planCpus({ disabled: true }),
  pinServer: () => {},
  rounds: Number(values.rounds),
  tmpDir,
  progress: (m) => process.stderr.write(`· +${Math.round((Date.now() - started) / 1000)}s ${m}\n`),
};
const pg = await startBenchPostgres(ctx);
try {
  const n = quick ? 200 : 2000;
  const results = await measureCrash(ctx, pg.url, n, quick ? 30_000 : 60_000);
  for (const [peer, rounds] of results.rounds) {
    for (const r of rounds) process.stdout.write(`${peer}: ${JSON.stringify(r)}\n`);
  }
  for (const [peer, reason] of results.failed) process.stdout.write(`${peer}: FAILED ${reason}\n`);
  const body = rows('queue-peers', crashMeasurements(results, `${pg.describe}; ${n} jobs`));
  process.stdout.write(`\n${textTable(HEADER, body)}\n\n${Math.round((Date.now() - started) / 1000)} s\n`);
} finally {
  await pg.stop();
  await rm(tmpDir, { recursive: true, force: true });
}
