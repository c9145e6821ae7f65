/**
 * `npm run bench [-- NAME…] [--quick] [--rounds N] [--no-write] [--readme] [--no-pin] [--json FILE]`
 *
 * Runs every suite in bench/suites (or the named ones) one after the other, prints the table of
 * ratios against each goal with the misses marked, and writes bench/results/<date>-<short-sha>.json
 * plus a markdown summary (bench/README.md explains the method). Exit code: 0 when every suite
 * produced its figures (a missed goal is a result, not a failure), 1 when a suite failed or ran
 * out of time, 2 for a usage error.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchContext, BenchSuite } from './harness.js';
import { loadSuites, UnknownSuiteError } from './load-suites.js';
import { describeMachine, toolVersions } from './machine.js';
import { otherCores, sampleCpu } from './other-cpu.js';
import { type CpuPlan, currentAffinity, describePinning, pinTree, planCpus, processTree } from './pinning.js';
import { BENCH_PG_SETTINGS, describeSettings, stopLeftoverPostgres } from './postgres.js';
import {
  busyAtStart,
  busyDuring,
  HEADER,
  markdownReport,
  type ResultsDocument,
  rows,
  type SuiteResult,
  summarize,
  summaryLines,
  textTable,
  withLatestResults,
} from './report.js';

const HERE = import.meta.dirname;
const ROOT = join(HERE, '..');
/**
 * Medians of fewer rounds say nothing about spread (docs/design/testing.md §Benchmark method: at
 * least 3).
 */
const MIN_ROUNDS = 3;
const DEFAULT_ROUNDS = 3;
/** Every suite is bounded: a hung server must not hold the machine (or CI) for hours. */
const DEFAULT_SUITE_MINUTES = { full: 20, quick: 3 };

export class UsageError extends Error {}

export interface RunOptions {
  names: string[];
  quick: boolean;
  rounds: number;
  write: boolean;
  /** Put the table under the latest-results marker of bench/README.md (with the results file). */
  readme: boolean;
  pin: boolean;
  json?: string;
  suiteMinutes: number;
  suitesDir?: string;
}

const CLI = {
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    'no-pin': { type: 'boolean', default: false },
    readme: { type: 'boolean', default: false },
    json: { type: 'string' },
    'suite-minutes': { type: 'string' },
    /** Another suites directory: for the harness's own tests. */
    'suites-dir': { type: 'string' },
  },
} as const;

export function parseOptions(argv: string[]): RunOptions {
  let parsed: ReturnType<typeof parseArgs<typeof CLI>>;
  try {
    parsed = parseArgs({ ...CLI, args: argv });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  const quick = values.quick ?? false;
  const rounds = values.rounds === undefined ? (quick ? 1 : DEFAULT_ROUNDS) : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new UsageError(`--rounds must be a positive integer, got "${values.rounds}"`);
  if (values.readme && (quick || values['no-write']))
    throw new UsageError('--readme needs a results file to link: not with --quick or --no-write');
  if (!quick && rounds < MIN_ROUNDS)
    throw new UsageError(
      `--rounds must be at least ${MIN_ROUNDS} outside --quick (a median of ${rounds} says nothing about spread)`,
    );
  const minutes =
    values['suite-minutes'] === undefined
      ? quick
        ? DEFAULT_SUITE_MINUTES.quick
        : DEFAULT_SUITE_MINUTES.full
      : Number(values['suite-minutes']);
  if (!(minutes > 0))
    throw new UsageError(`--suite-minutes must be a positive number, got "${values['suite-minutes']}"`);
  return {
    names: positionals,
    quick,
    rounds,
    write: !values['no-write'] && !quick,
    readme: values.readme ?? false,
    pin: !values['no-pin'],
    ...(values.json ? { json: values.json } : {}),
    suiteMinutes: minutes,
    ...(values['suites-dir'] ? { suitesDir: values['suites-dir'] } : {}),
  };
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * esbuild's JS API keeps one service process per module instance for the whole process (tsx
 * shares it): it belongs to this process, not to the suite that happened to start it first.
 */
function isEsbuildService(pid: number): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.some((a) => a.startsWith('--service=')) && argv.some((a) => a.includes('esbuild'));
  } catch {
    return false;
  }
}

/** Ends what a suite left behind (servers it started, children it spawned), by pid, gently first. */
async function cleanUp(before: Set<number>): Promise<void> {
  const stopped = await stopLeftoverPostgres();
  if (stopped) log(`  ! stopped ${stopped} PostgreSQL server(s) the suite left running`);
  const strays = () =>
    processTree(process.pid).filter((p) => p !== process.pid && !before.has(p) && !isEsbuildService(p));
  const first = strays();
  if (!first.length) return;
  for (const p of first) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  await new Promise((r) => setTimeout(r, 2000));
  for (const p of strays()) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

class SuiteTimeout extends Error {}

async function runSuite(
  suite: BenchSuite,
  index: number,
  total: number,
  options: RunOptions,
  plan: CpuPlan,
): Promise<SuiteResult> {
  const tmp = await mkdtemp(join(tmpdir(), `payday-bench-${suite.name}-`));
  const pinned = suite.pinning === 'client-server' && plan.enabled;
  const cpus: CpuPlan = pinned
    ? plan
    : {
        enabled: false,
        load: '',
        server: '',
        description: plan.enabled ? 'not pinned: in-process suite' : plan.description,
      };
  const t0 = Date.now();
  const before = new Set(processTree(process.pid));
  log(`[${index}/${total}] ▶ ${suite.name}: ${suite.description}${pinned ? ` (${plan.description})` : ''}`);
  const ctx: BenchContext = {
    quick: options.quick,
    rounds: options.rounds,
    tmpDir: tmp,
    cpus,
    pinServer: (pid) => {
      if (cpus.enabled && pid) pinTree(pid, cpus.server);
    },
    progress: (m) => log(`  · ${suite.name} +${seconds(Date.now() - t0)}: ${m}`),
  };
  const original = pinned ? currentAffinity() : '';
  if (pinned) pinTree(process.pid, plan.load);
  let timer: NodeJS.Timeout | undefined;
  try {
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new SuiteTimeout(`exceeded its time limit of ${options.suiteMinutes} min (--suite-minutes)`),
          ),
        options.suiteMinutes * 60_000,
      );
    });
    const measurements = await Promise.race([suite.run(ctx), limit]);
    if (!Array.isArray(measurements) || measurements.length === 0)
      throw new Error('returned no measurements');
    const ms = Date.now() - t0;
    log(`  ✓ ${suite.name}: ${measurements.length} measurements in ${seconds(ms)}`);
    return { suite: suite.name, description: suite.description, seconds: ms / 1000, measurements };
  } catch (err) {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    log(`  ✗ ${suite.name} failed after ${seconds(Date.now() - t0)}: ${message}`);
    if (err instanceof SuiteTimeout) throw Object.assign(err, { suite: suite.name, started: t0 });
    return {
      suite: suite.name,
      description: suite.description,
      seconds: (Date.now() - t0) / 1000,
      measurements: [],
      error: message,
    };
  } finally {
    clearTimeout(timer);
    if (pinned) execFileSync('taskset', ['-a', '-cp', original, String(process.pid)], { stdio: 'ignore' });
    await cleanUp(before);
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
  }
}

export async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  const suites = await loadSuites(options.names, options.suitesDir);
  const started = Date.now();
  const machine = describeMachine();
  const cpuAtStart = sampleCpu();
  const plan = planCpus({ disabled: !options.pin });
  const pinning = describePinning(
    plan,
    suites.filter((s) => s.pinning === 'client-server').map((s) => s.name),
    suites.length,
  );
  log(
    `bench: ${suites.length} suite(s) [${suites.map((s) => s.name).join(', ')}], ${options.quick ? 'quick smoke run' : `${options.rounds} rounds`}, ` +
      `${pinning}; load average ${machine.loadAverage.join(' ')} on ${machine.cpus} cores`,
  );
  if (!options.quick && busyAtStart(machine))
    log(
      'bench: the machine is busy (load average above half the cores): figures will be pessimistic and noisy',
    );

  const results: SuiteResult[] = [];
  let timedOut: string | undefined;
  for (const [i, suite] of suites.entries()) {
    if (timedOut) {
      results.push({
        suite: suite.name,
        description: suite.description,
        seconds: 0,
        measurements: [],
        error: `not run: ${timedOut} ran out of time and may still be busy`,
      });
      continue;
    }
    try {
      results.push(await runSuite(suite, i + 1, suites.length, options, plan));
    } catch (err) {
      if (!(err instanceof SuiteTimeout)) throw err;
      timedOut = suite.name;
      results.push({
        suite: suite.name,
        description: suite.description,
        seconds: options.suiteMinutes * 60,
        measurements: [],
        error: err.message,
      });
    }
  }

  const summary = summarize(results);
  const body = results.flatMap((r) => rows(r.suite, r.measurements));
  process.stdout.write(`\n${textTable(HEADER, body)}\n\n${summaryLines(summary).join('\n')}\n`);

  const other = otherCores(cpuAtStart, sampleCpu());
  if (other !== undefined && busyDuring(other))
    log(
      `bench: other work used ${other.toFixed(2)} cores during the run (CPU time outside the bench's processes): figures will be pessimistic and noisy`,
    );
  const { tools, packages } = toolVersions();
  const doc: ResultsDocument = {
    date: new Date().toISOString(),
    commit: git(['rev-parse', '--short', 'HEAD']),
    quick: options.quick,
    rounds: options.rounds,
    seconds: (Date.now() - started) / 1000,
    machine,
    loadAverageAfter: loadavg().map((n) => Math.round(n * 100) / 100),
    ...(other === undefined ? {} : { otherCores: Math.round(other * 100) / 100 }),
    pinning,
    postgres: `${tools.postgres} (throwaway cluster per suite), ${describeSettings(BENCH_PG_SETTINGS)}`,
    tools,
    packages,
    summary,
    results,
  };
  if (options.json) {
    await writeFile(options.json, `${JSON.stringify(doc, null, 2)}\n`);
    log(`bench: wrote ${options.json}`);
  }
  if (options.write) {
    const suffix = options.names.length ? `-${options.names.join('+')}` : '';
    const base = join(HERE, 'results', `${doc.date.slice(0, 10)}-${doc.commit}${suffix}`);
    await mkdir(join(HERE, 'results'), { recursive: true });
    await writeFile(`${base}.json`, `${JSON.stringify(doc, null, 2)}\n`);
    await writeFile(`${base}.md`, `${markdownReport(doc)}\n`);
    process.stdout.write(
      `\nWrote ${relative(ROOT, base)}.json and .md (${Math.round(doc.seconds)} s in all)\n`,
    );
    if (options.readme) {
      const readme = join(HERE, 'README.md');
      const link = relative(HERE, `${base}.md`);
      await writeFile(readme, withLatestResults(await readFile(readme, 'utf8'), doc, link));
      process.stdout.write(`Put the table into bench/README.md (linking ${link})\n`);
    }
  }
  return summary.failed.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      const usage = err instanceof UsageError || err instanceof UnknownSuiteError;
      process.stderr.write(
        `bench: ${usage ? (err as Error).message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      if (usage)
        process.stderr.write(
          'usage: npm run bench [-- NAME…] [--quick] [--rounds N] [--no-write] [--readme] [--no-pin] [--json FILE] [--suite-minutes M]\n',
        );
      process.exit(usage ? 2 : 1);
    },
  );
}
