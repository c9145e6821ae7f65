import type { Scenario } from '../model.js';
import type { RehearsalResult } from '../rehearse.js';

/**
 * The readable report: per scenario, the objects it holds (rendered, and expanded per
 * controller), then its findings grouped by check; findings that belong to no scenario
 * (placement, ApplicationSets) come first.
 */
export function formatText(result: RehearsalResult): string {
  const lines: string[] = [];
  const general = result.findings.filter((f) => !f.scenario);
  if (general.length) {
    lines.push('scenarios', ...group(general));
    lines.push('');
  }
  for (const s of result.scenarios) {
    lines.push(`${s.name} (namespace ${s.namespace}): ${summary(s)}`);
    const own = result.findings.filter((f) => f.scenario === s.name);
    lines.push(...(own.length ? group(own) : ['  no findings']));
    lines.push('');
  }
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.length - errors;
  lines.push(
    `rehearsal: ${result.passed ? 'pass' : 'fail'} (${result.scenarios.length} scenarios, ${errors} errors, ${warnings} warnings)`,
  );
  return `${lines.join('\n')}\n`;
}

function summary(s: Scenario): string {
  const rendered = s.objects.filter((o) => o.origin.kind === 'rendered').length;
  const by = new Map<string, number>();
  for (const o of s.objects)
    if (o.origin.kind === 'expanded') by.set(o.origin.controller, (by.get(o.origin.controller) ?? 0) + 1);
  const expanded = [...by].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, n]) => `${c} ${n}`);
  return `${rendered} rendered, ${s.objects.length - rendered} expanded${expanded.length ? ` (${expanded.join(', ')})` : ''}`;
}

function group(findings: RehearsalResult['findings']): string[] {
  const out: string[] = [];
  const checks = [...new Set(findings.map((f) => f.check))];
  for (const check of checks) {
    const list = findings.filter((f) => f.check === check);
    out.push(`  ${check}: ${list.length} finding(s)`);
    for (const f of list)
      out.push(`    ${f.severity === 'error' ? 'ERROR' : 'warn '} ${f.subject}: ${f.message}`);
  }
  return out;
}

/** The result as JSON for tools (`--format json`): scenarios summarised, findings in full. */
export function formatJson(result: RehearsalResult): string {
  return `${JSON.stringify(
    {
      passed: result.passed,
      scenarios: result.scenarios.map((s) => ({
        name: s.name,
        namespace: s.namespace,
        objects: s.objects.map((o) => ({
          ref: [o.object.kind, o.object.metadata.namespace, o.object.metadata.name].filter(Boolean).join('/'),
          origin: o.origin,
        })),
      })),
      findings: result.findings,
    },
    null,
    2,
  )}\n`;
}
