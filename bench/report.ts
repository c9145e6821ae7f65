/**
 * The results table (terminal and markdown) and the results document written to
 * bench/results/<date>-<short-sha>.{json,md}.
 */
import type { Goal, Measurement } from './harness.js';
import type { Machine } from './machine.js';

export interface SuiteResult {
  suite: string;
  description: string;
  seconds: number;
  measurements: Measurement[];
  /** Why the suite produced no figures (an exception, a time limit, an earlier suite's time-out). */
  error?: string;
}

export interface ResultsDocument {
  date: string;
  commit: string;
  quick: boolean;
  rounds: number;
  seconds: number;
  machine: Machine;
  /** Load averages when the run ended (the start is in `machine`). */
  loadAverageAfter: number[];
  /**
   * CPU that work outside the bench's processes used during the run, in cores (bench/other-cpu.ts);
   * absent in files written before it was measured, or where /proc cannot be read.
   */
  otherCores?: number;
  pinning: string;
  postgres: string;
  tools: Record<string, string>;
  packages: Record<string, string>;
  summary: {
    goals: number;
    met: number;
    missed: string[];
    /** Suites that produced no figures. */
    failed: string[];
    /**
     * `metric: reason` of each measurement that could not be taken while the rest of its suite
     * was (`Measurement.failed`).
     */
    failedMeasurements: string[];
  };
  results: SuiteResult[];
}

const fmt = (n: number | undefined): string =>
  n === undefined
    ? ''
    : !Number.isFinite(n)
      ? String(n)
      : Math.abs(n) >= 100
        ? n.toFixed(0)
        : Math.abs(n) >= 10
          ? n.toFixed(1)
          : n.toFixed(3).replace(/\.?0+$/, '') || '0';

const OP = { '<=': '≤', '>=': '≥' } as const;

/** `ratio ≥ 0.5×` or `≤ 50 ms`: what the verdict is judged on. */
export function goalText(goal: Goal | undefined, unit: string): string {
  if (!goal) return '';
  return goal.absolute
    ? `${OP[goal.op]} ${fmt(goal.value)} ${unit}`
    : `ratio ${OP[goal.op]} ${fmt(goal.value)}×`;
}

export function verdict(m: Measurement): string {
  if (m.failed !== undefined) return 'FAILED';
  if (m.met === undefined) return '';
  return m.met ? 'met' : 'MISS';
}

/** Rows of the results table, one per measurement. */
export function rows(suite: string, ms: Measurement[]): string[][] {
  return ms.map((m) =>
    m.failed !== undefined
      ? [suite, m.metric, 'failed (see note)', '', '', goalText(m.goal, m.unit), verdict(m)]
      : [
          suite,
          m.metric,
          `${fmt(m.ours.median)} ${m.unit} [${fmt(m.ours.min)}–${fmt(m.ours.max)}]`,
          m.baseline
            ? `${fmt(m.baseline.median)} ${m.unit} [${fmt(m.baseline.min)}–${fmt(m.baseline.max)}] ${m.baseline.label}`
            : '',
          m.ratio === undefined ? '' : `${m.ratio.toFixed(2)}×`,
          goalText(m.goal, m.unit),
          verdict(m),
        ],
  );
}

export const HEADER = [
  'suite',
  'metric',
  'ours median [min–max]',
  'baseline median [min–max]',
  'ratio',
  'goal',
  'verdict',
];

/** A fixed-width text table for the terminal. */
export function textTable(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (c ?? '').padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The same table in GitHub markdown; misses in bold so they stand out. */
export function markdownTable(header: string[], body: string[][]): string {
  const esc = (c: string) => c.replaceAll('|', '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...body.map(
      (r) => `| ${r.map((c) => (c === 'MISS' || c === 'FAILED' ? `**${c}**` : esc(c))).join(' | ')} |`,
    ),
  ].join('\n');
}

export function summarize(results: SuiteResult[]): ResultsDocument['summary'] {
  const judged = results.flatMap((r) => r.measurements.filter((m) => m.met !== undefined));
  return {
    goals: judged.length,
    met: judged.filter((m) => m.met).length,
    missed: results.flatMap((r) => r.measurements.filter((m) => m.met === false).map((m) => m.metric)),
    failed: results.filter((r) => r.error).map((r) => r.suite),
    failedMeasurements: results.flatMap((r) =>
      r.measurements
        .filter((m) => m.failed !== undefined)
        .map((m) => `${m.metric}: ${m.failed!.split('\n')[0]}`),
    ),
  };
}

/** The lines printed under the table and written under the markdown table. */
export function summaryLines(s: ResultsDocument['summary']): string[] {
  const lines = [`Goals: ${s.met} of ${s.goals} met.`];
  if (s.missed.length) lines.push(`Missed: ${s.missed.join(', ')}.`);
  if (s.failed.length) lines.push(`Suites that failed (no figures): ${s.failed.join(', ')}.`);
  for (const f of s.failedMeasurements ?? []) lines.push(`Measurement failed (no figures): ${f}`);
  return lines;
}

/** Load average (1 minute) above half the cores when the run started: other work was running. */
export function busyAtStart(machine: Machine): boolean {
  return machine.loadAverage[0]! > machine.cpus * 0.5;
}

/** More than a quarter of a core of CPU used outside the bench's processes during the run. */
export function busyDuring(otherCores: number | undefined): boolean {
  return (otherCores ?? 0) > 0.25;
}

/**
 * Other work competed with the benchmark, at its start or during it (`otherCores`,
 * bench/other-cpu.ts). The load average at the end is no guide: it counts the run's own last
 * suite (servers, load generator, PostgreSQL), which alone can keep it above the cores.
 */
export function wasBusy(doc: ResultsDocument): boolean {
  return busyAtStart(doc.machine) || busyDuring(doc.otherCores);
}

/** "0.04 cores of other work during the run", or nothing where it could not be measured. */
function otherWork(doc: ResultsDocument): string {
  return doc.otherCores === undefined
    ? ''
    : `; other work used ${doc.otherCores.toFixed(2)} cores on average during the run (CPU time outside the bench's processes)`;
}

/** The machine, versions and method lines shared by the results file and the README section. */
function contextLines(doc: ResultsDocument): string[] {
  const m = doc.machine;
  const busy = wasBusy(doc)
    ? ' (busy: other work was running on the machine; treat the figures as pessimistic and noisy)'
    : '';
  return [
    `- Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}, kernel ${m.kernel}.`,
    `- Load average at start ${m.loadAverage.join(' / ')}, at end ${doc.loadAverageAfter.join(' / ')}, the run's own work included${otherWork(doc)}${busy}.`,
    `- Pinning: ${doc.pinning}.`,
    `- PostgreSQL (default for suites using bench/postgres.ts): ${doc.postgres}.`,
    `- Tools: ${Object.entries(doc.tools)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ')}.`,
    `- Packages: ${Object.entries(doc.packages)
      .map(([k, v]) => `${k}@${v}`)
      .join(', ')}.`,
    `- ${doc.quick ? 'Quick smoke run (tiny sizes, 1 round: the figures mean nothing)' : `${doc.rounds} interleaved rounds`}; medians with [min–max]; ${Math.round(doc.seconds)} s in all.`,
  ];
}

/** The markdown summary beside the JSON results file. */
export function markdownReport(doc: ResultsDocument): string {
  const body = doc.results.flatMap((r) => rows(r.suite, r.measurements));
  const notes = doc.results.flatMap((r) =>
    r.measurements.filter((x) => x.note).map((x) => `- \`${x.metric}\`: ${x.note}`),
  );
  const failures = doc.results
    .filter((r) => r.error)
    .map((r) => `- \`${r.suite}\`: ${r.error!.split('\n')[0]}`);
  return [
    `# Benchmark results ${doc.date.slice(0, 10)} (${doc.commit})`,
    '',
    ...contextLines(doc),
    '',
    markdownTable(HEADER, body),
    '',
    ...summaryLines(doc.summary),
    ...(failures.length ? ['', '## Failed suites', '', ...failures] : []),
    ...(notes.length ? ['', '## Notes', '', ...notes] : []),
    '',
    `Suite times: ${doc.results.map((r) => `${r.suite} ${Math.round(r.seconds)} s`).join(', ')}.`,
  ].join('\n');
}

export const LATEST_MARKER = '<!-- latest-results -->';

/**
 * bench/README.md with everything after the marker replaced by the latest run: where it ran,
 * the table and a link to the results file (`npm run bench -- --readme`).
 */
export function withLatestResults(readme: string, doc: ResultsDocument, resultsFile: string): string {
  const at = readme.indexOf(LATEST_MARKER);
  if (at < 0) throw new Error(`bench/README.md has no ${LATEST_MARKER} line to put the results under`);
  const body = doc.results.flatMap((r) => rows(r.suite, r.measurements));
  const section = [
    LATEST_MARKER,
    '',
    `### Latest: ${doc.date.slice(0, 16).replace('T', ' ')} UTC, commit ${doc.commit} ([${resultsFile}](${resultsFile}))`,
    '',
    ...contextLines(doc),
    '',
    markdownTable(HEADER, body),
    '',
    ...summaryLines(doc.summary),
    '',
  ].join('\n');
  return readme.slice(0, at) + section;
}
