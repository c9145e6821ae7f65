import type { Measurement } from './harness.js';

const fmt = (n: number | undefined): string =>
  n === undefined ? '' : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(3);

function goalText(m: Measurement): string {
  if (!m.goal) return '';
  return `${m.goal.absolute ? 'value' : 'ratio'} ${m.goal.op} ${m.goal.value}`;
}

function verdict(m: Measurement): string {
  if (m.met === undefined) return '';
  return m.met ? 'met' : 'MISS';
}

/** Rows of the results table, one per measurement. */
export function rows(suite: string, ms: Measurement[]): string[][] {
  return ms.map((m) => [
    suite,
    m.metric,
    `${fmt(m.ours.median)} ${m.unit} [${fmt(m.ours.min)}–${fmt(m.ours.max)}]`,
    m.baseline ? `${fmt(m.baseline.median)} ${m.unit} (${m.baseline.label})` : '',
    m.ratio === undefined ? '' : `${m.ratio.toFixed(2)}×`,
    goalText(m),
    verdict(m),
  ]);
}

export const HEADER = [
  'suite',
  'metric',
  'ours median [min–max]',
  'baseline median',
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

/** The same table in GitHub markdown. */
export function markdownTable(header: string[], body: string[][]): string {
  const esc = (c: string) => c.replaceAll('|', '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...body.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
