import type { TestRow } from './run-test.js';

/** Table like `kyverno test`'s: ID, POLICY, RULE, RESOURCE, RESULT, REASON. */
export function formatTestTable(rows: readonly TestRow[]): string {
  const header = ['ID', 'POLICY', 'RULE', 'RESOURCE', 'EXPECTED', 'ACTUAL', 'RESULT', 'REASON'];
  const body = rows.map((r, i) => [
    String(i + 1),
    r.policy,
    r.rule,
    r.kind ? `${r.kind}/${r.resource}` : r.resource,
    r.expected,
    r.actual,
    r.verdict === 'fail' ? 'Fail' : r.verdict === 'unsupported' ? 'Unsupported' : 'Pass',
    r.reason + (r.verdict === 'fail' && r.message ? ` (${r.message})` : ''),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...body.map(line)].join('\n');
}

export function summarize(rows: readonly TestRow[]): {
  pass: number;
  fail: number;
  excluded: number;
  unsupported: number;
} {
  return {
    pass: rows.filter((r) => r.verdict === 'pass').length,
    fail: rows.filter((r) => r.verdict === 'fail').length,
    excluded: rows.filter((r) => r.verdict === 'excluded').length,
    unsupported: rows.filter((r) => r.verdict === 'unsupported').length,
  };
}
