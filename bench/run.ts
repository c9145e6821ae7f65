/**
 * `npm run bench [-- NAME…] [--quick]`: runs every suite in bench/suites (or the named ones),
 * prints ratios against each goal, and writes bench/results/<date>-<short-sha>.{json,md}.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchSuite, Measurement } from './harness.js';
import { HEADER, markdownTable, rows, textTable } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: here, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function toolVersion(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')[0]!
      .trim();
  } catch {
    return 'not installed';
  }
}

export async function loadSuites(names: string[]): Promise<BenchSuite[]> {
  const dir = join(here, 'suites');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
  const all: BenchSuite[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { default: BenchSuite };
    all.push(mod.default);
  }
  const unknown = names.filter((n) => !all.some((s) => s.name === n));
  if (unknown.length) {
    throw new Error(
      `unknown bench suite(s): ${unknown.join(', ')}; known: ${all.map((s) => s.name).join(', ')}`,
    );
  }
  return names.length ? all.filter((s) => names.includes(s.name)) : all;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const quick = values.quick ?? false;
  const rounds = values.rounds ? Number(values.rounds) : quick ? 1 : 5;
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);
  const suites = await loadSuites(positionals);
  const results: { suite: string; measurements: Measurement[]; seconds: number; error?: string }[] = [];
  for (const suite of suites) {
    const tmp = await mkdtemp(join(tmpdir(), `payday-bench-${suite.name}-`));
    const t0 = Date.now();
    process.stderr.write(`▶ ${suite.name}: ${suite.description}\n`);
    try {
      const measurements = await suite.run({
        quick,
        rounds,
        tmpDir: tmp,
        progress: (m) => process.stderr.write(`  · ${suite.name}: ${m}\n`),
      });
      results.push({ suite: suite.name, measurements, seconds: (Date.now() - t0) / 1000 });
    } catch (err) {
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      process.stderr.write(`  ✗ ${suite.name} failed: ${message}\n`);
      results.push({
        suite: suite.name,
        measurements: [],
        seconds: (Date.now() - t0) / 1000,
        error: message,
      });
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
  const body = results.flatMap((r) => rows(r.suite, r.measurements));
  process.stdout.write(`\n${textTable(HEADER, body)}\n`);
  const misses = results.flatMap((r) =>
    r.measurements.filter((m) => m.met === false).map((m) => `${r.suite}/${m.metric}`),
  );
  const failed = results.filter((r) => r.error).map((r) => r.suite);
  if (misses.length) process.stdout.write(`\nGoals missed: ${misses.join(', ')}\n`);
  if (failed.length) process.stdout.write(`Suites that failed: ${failed.join(', ')}\n`);

  const sha = git(['rev-parse', '--short', 'HEAD']);
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
  const tools = {
    kubectl: toolVersion('kubectl', ['version', '--client']),
    pgbench: toolVersion('pgbench', ['--version']),
    git: toolVersion('git', ['--version']),
  };
  if (!values['no-write'] && !quick) {
    const date = new Date().toISOString().slice(0, 10);
    const out = join(here, 'results', `${date}-${sha}`);
    await mkdir(dirname(out), { recursive: true });
    const doc = { date: new Date().toISOString(), commit: sha, quick, rounds, machine, tools, results };
    await writeFile(`${out}.json`, `${JSON.stringify(doc, null, 2)}\n`);
    const md = [
      `# Benchmark results ${date} (${sha})`,
      '',
      `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}.`,
      `Tools: ${Object.entries(tools)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ')}.`,
      `Rounds: ${rounds}, interleaved; medians with [min–max].`,
      '',
      markdownTable(HEADER, body),
      '',
      misses.length ? `Goals missed: ${misses.join(', ')}` : 'All goals met.',
      failed.length ? `Suites that failed: ${failed.join(', ')}` : '',
    ].join('\n');
    await writeFile(`${out}.md`, `${md}\n`);
    process.stdout.write(`\nWrote ${basename(out)}.json and .md in bench/results/\n`);
  }
  return failed.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
}
