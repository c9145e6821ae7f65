import type { GateFinding, GateReport } from './types.js';

const LABEL: Record<GateFinding['severity'], string> = {
  deny: 'DENY',
  error: 'ERROR',
  exception: 'INVALID-EXCEPTION',
  audit: 'audit',
  warn: 'warn',
  waived: 'waived',
  ignored: 'ignored-error',
};

function summaryLine(report: GateReport): string {
  const objects = report.environments.reduce((n, e) => n + e.objects, 0);
  const verdict = report.exitCode === 0 ? 'pass' : report.exitCode === 1 ? 'FAIL' : 'ERROR';
  return `${verdict} (${report.policies} policies, ${objects} objects, ${report.denials} denials, ${report.errors} errors)`;
}

/** Plain-text report: one table per environment, then notes and the verdict. */
export function formatTable(report: GateReport): string {
  const lines: string[] = [];
  for (const env of report.environments) {
    lines.push(
      `\n== ${env.name}: ${env.objects} objects, ${env.evaluations} evaluations, ${env.passed} passed, ${env.findings.length} findings`,
    );
    if (env.findings.length === 0) continue;
    const rows = env.findings.map((f) => [LABEL[f.severity], f.policy, f.resource, f.file, f.message]);
    const widths = [0, 1, 2, 3].map((c) =>
      Math.max(...rows.map((r) => r[c]!.length), ['RESULT', 'POLICY', 'RESOURCE', 'FILE'][c]!.length),
    );
    const fmt = (r: string[]) => [0, 1, 2, 3].map((c) => r[c]!.padEnd(widths[c]!)).join('  ') + `  ${r[4]}`;
    lines.push(fmt(['RESULT', 'POLICY', 'RESOURCE', 'FILE', 'MESSAGE']));
    for (const r of rows) lines.push(fmt(r));
  }
  for (const note of report.notes) lines.push(`\nnote: ${note}`);
  lines.push(`\ngate: ${summaryLine(report)}`);
  return `${lines.join('\n').trimStart()}\n`;
}

export function formatJson(report: GateReport): string {
  return `${JSON.stringify({ summary: summaryLine(report), ...report }, null, 2)}\n`;
}

const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JUnit XML: one testsuite per environment, one failing testcase per Deny/error finding. */
export function formatJunit(report: GateReport): string {
  const suites = report.environments.map((env) => {
    const failing = env.findings.filter((f) => ['deny', 'error', 'exception'].includes(f.severity));
    const cases = env.findings.map((f) => {
      const name = xml(`${f.policy} ${f.resource}`);
      const body = ['deny', 'exception'].includes(f.severity)
        ? `<failure message="${xml(f.message)}" type="${f.severity}">${xml(`${f.file}: ${f.message}`)}</failure>`
        : f.severity === 'error'
          ? `<error message="${xml(f.message)}">${xml(`${f.file}: ${f.message}`)}</error>`
          : `<system-out>${xml(`${LABEL[f.severity]}: ${f.message}`)}</system-out>`;
      return `    <testcase classname="${xml(`gate.${env.name}`)}" name="${name}">${body}</testcase>`;
    });
    const passing = `    <testcase classname="${xml(`gate.${env.name}`)}" name="${env.passed} evaluations passed"/>`;
    return [
      `  <testsuite name="${xml(env.name)}" tests="${cases.length + 1}" failures="${failing.filter((f) => f.severity !== 'error').length}" errors="${failing.filter((f) => f.severity === 'error').length}">`,
      passing,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="policy-gate">\n${suites.join('\n')}\n</testsuites>\n`;
}

const md = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Markdown for a PR comment: verdict, per-environment table of findings, notes. */
export function formatMarkdown(report: GateReport): string {
  const icon = report.exitCode === 0 ? '✅' : '❌';
  const lines = [`### ${icon} Policy gate: ${summaryLine(report)}`, ''];
  lines.push(
    '| environment | objects | passed | denials | audit/warn | waived |',
    '|---|---:|---:|---:|---:|---:|',
  );
  for (const env of report.environments) {
    const count = (...s: string[]) => env.findings.filter((f) => s.includes(f.severity)).length;
    lines.push(
      `| ${env.name} | ${env.objects} | ${env.passed} | ${count('deny', 'error', 'exception')} | ${count('audit', 'warn')} | ${count('waived')} |`,
    );
  }
  for (const env of report.environments) {
    if (env.findings.length === 0) continue;
    lines.push(
      '',
      `#### ${env.name}`,
      '',
      '| result | policy | resource | file | message |',
      '|---|---|---|---|---|',
    );
    for (const f of env.findings) {
      lines.push(
        `| ${LABEL[f.severity]} | ${md(f.policy)} | ${md(f.resource)} | \`${md(f.file)}\` | ${md(f.message)} |`,
      );
    }
  }
  if (report.notes.length) lines.push('', ...report.notes.map((n) => `> ⚠️ ${md(n)}`));
  return `${lines.join('\n')}\n`;
}
