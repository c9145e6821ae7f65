import { CHECKS } from './checks.js';
import type { Finding, RehearsalCheck, RehearsalRun, RenderedInput, Scenario } from './model.js';
import { buildScenarios, type ScenarioOptions } from './scenario/build.js';

export interface RehearseOptions extends ScenarioOptions {
  /** The checks to run (default: every check in CHECKS). */
  checks?: readonly RehearsalCheck[];
}

export interface RehearsalResult {
  scenarios: Scenario[];
  /** Scenario building and expansion findings first, then each check's, per scenario. */
  findings: (Finding & { scenario?: string })[];
  /** True when no finding is an error. */
  passed: boolean;
}

/**
 * The rehearsal (docs/rehearsal.md): builds a scenario per environment and for the sample
 * preview from the rendered objects, expands every controller, then runs every check over
 * every scenario. Deterministic: the same inputs give the same findings in the same order.
 */
export function rehearse(inputs: readonly RenderedInput[], options: RehearseOptions = {}): RehearsalResult {
  const built = buildScenarios(inputs, options);
  const findings: RehearsalResult['findings'] = [...built.findings];
  const rehearsal: RehearsalRun = { scenarios: built.scenarios };
  for (const scenario of built.scenarios) {
    for (const check of options.checks ?? CHECKS) {
      options.progress?.(`scenario ${scenario.name}: ${check.name}`);
      for (const f of check.run(scenario, rehearsal)) findings.push({ ...f, scenario: scenario.name });
    }
  }
  return { scenarios: built.scenarios, findings, passed: !findings.some((f) => f.severity === 'error') };
}
