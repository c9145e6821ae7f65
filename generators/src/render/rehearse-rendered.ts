/**
 * The cluster rehearsal (docs/rehearsal.md) of what a render produced, summarised for the render
 * command (cli/render.ts), which the render bench suite times the same way. Loads
 * @payday/rehearsal on first use, so a render with --no-rehearsal never pays for it.
 */
import { existsSync } from 'node:fs';
import type { RenderedObject } from './types.js';

/** What a rehearsal needs from a render. */
export interface RehearsalRequest {
  /** Every rendered object (environments and global trees). */
  objects: readonly Pick<RenderedObject, 'path' | 'object' | 'environment'>[];
  /**
   * When the shared trees (gitops/argocd, gitops/platform) were not rendered (--env), the committed
   * ones in this directory stand in, if it exists.
   */
  sharedFrom?: string;
  /** Rehearse only these environments' scenarios (--env). */
  only?: string[];
}

/** The verdict: counts, and the full report only when it failed. */
export interface RehearsalOutcome {
  passed: boolean;
  scenarios: number;
  errors: number;
  /** Findings that are not errors (to review). */
  notes: number;
  /** The text report (formatText), present when the rehearsal failed. */
  report?: string;
}

let loading: ReturnType<typeof importRehearsal> | undefined;
/**
 * Imported once and kept: every `import()` call goes through the module loader again, and under
 * tsx that is a round trip to its loader thread (about a tenth of a warm rehearsal).
 */
function loadRehearsal(): ReturnType<typeof importRehearsal> {
  loading ??= importRehearsal();
  return loading;
}
function importRehearsal() {
  return Promise.all([import('@payday/rehearsal'), import('./rehearsal-checks.js')]);
}

export async function rehearseRendered(request: RehearsalRequest): Promise<RehearsalOutcome> {
  const [{ CHECKS, formatText, fromRendered, readGitopsDir, rehearse }, { rehearsalChecks }] =
    await loadRehearsal();
  const inputs = fromRendered(request.objects);
  if (request.sharedFrom && existsSync(request.sharedFrom))
    inputs.push(...readGitopsDir(request.sharedFrom, { sharedOnly: true }));
  const result = rehearse(inputs, {
    checks: rehearsalChecks(CHECKS),
    ...(request.only ? { only: request.only } : {}),
  });
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  return {
    passed: result.passed,
    scenarios: result.scenarios.length,
    errors,
    notes: result.findings.length - errors,
    ...(result.passed ? {} : { report: formatText(result) }),
  };
}
