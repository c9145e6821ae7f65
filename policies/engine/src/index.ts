/**
 * @payday/policy-engine: the offline Kyverno ValidatingPolicy evaluator, the `kyverno test`
 * runner and the policy gate over rendered environments.
 */
import { resolve } from 'node:path';
import { formatTable } from './gate/format.js';
import { runGate } from './gate/gate.js';
import type { GateEnvironment, GateReport } from './gate/types.js';

export { compileExpression } from './cel/compile.js';
export { buildEnvironment } from './evaluate/environment.js';
export { evaluateJsonPayloads, evaluateObjects } from './evaluate/evaluate.js';
export type { RuleResult, Status } from './evaluate/types.js';
export { formatJson, formatJunit, formatMarkdown, formatTable } from './gate/format.js';
export { type GateMemo, gateMemo, loadRepositoryPolicies, runGate } from './gate/gate.js';
export { readGitopsTree } from './gate/gitops-tree.js';
export type { GateEnvironment, GateFinding, GateReport, RenderedObject } from './gate/types.js';
export type { KubeObject } from './kube/objects.js';
export { runTestFile } from './kyverno-test/run-test.js';
export {
  addPolicyDocument,
  emptyPolicySet,
  loadPolicyFiles,
  PolicyLoadError,
  type PolicySet,
} from './policy/policy-set.js';
export { type UnsupportedPolicy, UnsupportedPolicyError } from './policy/unsupported.js';

/** The repository's policies/ folder. */
export const POLICIES_DIR = resolve(import.meta.dirname, '../..');

/**
 * The gate over freshly rendered (in-memory) environments, for `npm run render` and the release
 * commands: `passed` false means a Deny failure or a fail-closed error; `report` is the text table.
 */
export function gateRendered(
  environments: readonly GateEnvironment[],
  options: { policiesDir?: string; now?: Date } = {},
): GateReport & { report: string; summary: string } {
  const result = runGate(environments, {
    policiesDir: options.policiesDir ?? POLICIES_DIR,
    ...(options.now ? { now: options.now } : {}),
  });
  const objects = result.environments.reduce((n, e) => n + e.objects, 0);
  const summary = `${result.passed ? 'pass' : 'fail'} (${result.policies} policies, ${objects} objects, ${result.denials} denials, ${result.errors} errors)`;
  return { ...result, summary, report: formatTable(result) };
}
