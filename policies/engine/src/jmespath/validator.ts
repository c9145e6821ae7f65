import { evaluateConditions } from './conditions.js';
import { type ContextSources, loadContext } from './context.js';
import { validateForEach } from './foreach.js';
import { matchPattern } from './pattern.js';
import { type PodSecuritySpec, validatePodSecurity } from './pod-security.js';
import { ruleError } from './rule-error.js';
import { type SubstitutionContext, substituteAll } from './substitute.js';

/**
 * The body of a JMESPath validate rule and of each foreach level (kyverno v1.19.0
 * pkg/engine/handlers/validation/validate_resource.go): context entries, preconditions, then
 * `deny`, else `pattern`/`anyPattern`, else `foreach`. Messages are Kyverno's, word for word,
 * because teams grep reports for them.
 */
export type RuleStatus = 'pass' | 'fail' | 'skip' | 'error';
export interface Response {
  status: RuleStatus;
  message: string;
}

export interface ValidatorSpec {
  context?: unknown;
  preconditions?: unknown;
  pattern?: unknown;
  anyPattern?: unknown;
  deny?: { conditions?: unknown } | null;
  foreach?: ForeachSpec[];
  podSecurity?: PodSecuritySpec;
}

export interface ForeachSpec extends ValidatorSpec {
  list: string;
  elementScope?: boolean;
}

export interface State {
  ruleName: string;
  /** `validate.message`, not yet substituted. */
  message: string;
  ctx: SubstitutionContext;
  sources: ContextSources;
  /** The resource the pattern applies to (the foreach element when element-scoped). */
  resource: unknown;
  element?: unknown;
  nesting: number;
  /** Per foreach level, the values file's `foreachValues` of this rule. */
  foreachValues: Record<string, unknown[]>;
}

export function validate(spec: ValidatorSpec, state: State, loadEntries: boolean): Response | undefined {
  if (loadEntries) {
    try {
      loadContext(spec.context, state.ctx, state.sources);
    } catch (err) {
      return ruleError('failed to load context', err);
    }
  }
  let pre: ReturnType<typeof evaluateConditions>;
  try {
    pre = evaluateConditions(spec.preconditions, state.ctx);
  } catch (err) {
    return ruleError('failed to evaluate preconditions', err);
  }
  if (!pre.result)
    return { status: 'skip', message: ['preconditions not met', pre.message].filter(Boolean).join('; ') };
  if (spec.podSecurity) {
    if (state.ctx.isDelete) return undefined;
    return validatePodSecurity(state.ruleName, spec.podSecurity, state.resource);
  }
  if (spec.deny !== undefined && spec.deny !== null) return validateDeny(spec.deny, state);
  if (spec.pattern !== undefined || spec.anyPattern !== undefined) {
    let pattern: unknown;
    let anyPattern: unknown;
    try {
      if (spec.pattern !== undefined) pattern = substituteAll(spec.pattern, state.ctx);
      else anyPattern = substituteAll(spec.anyPattern, state.ctx);
    } catch (err) {
      return ruleError('variable substitution failed', err);
    }
    if (state.element === undefined && state.ctx.isDelete) return undefined;
    return validatePatterns(state, pattern, anyPattern);
  }
  if (spec.foreach?.length) return validateForEach(spec.foreach, state, validate);
  return undefined;
}

function substitutedMessage(state: State, text: string): string | undefined {
  try {
    const raw = substituteAll(text, state.ctx);
    return typeof raw === 'string'
      ? raw
      : "the produced message didn't resolve to a string, check your policy definition.";
  } catch {
    return undefined;
  }
}

function validateDeny(deny: { conditions?: unknown }, state: State): Response {
  let outcome: ReturnType<typeof evaluateConditions>;
  try {
    // `deny: {}` has no conditions, which Kyverno evaluates as true: always deny.
    outcome = evaluateConditions(deny.conditions ?? {}, state.ctx);
  } catch (err) {
    return ruleError('failed to check deny conditions', err);
  }
  if (!outcome.result) return { status: 'pass', message: `validation rule '${state.ruleName}' passed.` };
  if (!state.message && !outcome.message)
    return { status: 'fail', message: `validation error: rule ${state.ruleName} failed` };
  const text = [state.message, outcome.message].filter(Boolean).join('; ');
  return { status: 'fail', message: substitutedMessage(state, text) ?? outcome.message };
}

function buildErrorMessage(state: State, error: string, path: string): string {
  if (!state.message) {
    return path
      ? `validation error: rule ${state.ruleName} failed at path ${path}`
      : `validation error: rule ${state.ruleName} execution error: ${error}`;
  }
  let msg = substitutedMessage(state, state.message);
  if (msg === undefined)
    return `validation error: variables substitution error in rule ${state.ruleName} execution error: ${error}`;
  if (!msg.endsWith('.')) msg += '.';
  return path
    ? `validation error: ${msg} rule ${state.ruleName} failed at path ${path}`
    : `validation error: ${msg} rule ${state.ruleName} execution error: ${error}`;
}

function validatePatterns(state: State, pattern: unknown, anyPattern: unknown): Response {
  if (pattern !== undefined) {
    const r = matchPattern(state.resource, pattern);
    if (r.status === 'pass')
      return { status: 'pass', message: `validation rule '${state.ruleName}' passed.` };
    if (r.status === 'skip') return { status: 'skip', message: r.message };
    if (r.status === 'error') return { status: 'error', message: buildErrorMessage(state, r.message, '') };
    return { status: 'fail', message: buildErrorMessage(state, r.message, r.path) };
  }
  if (!Array.isArray(anyPattern))
    return { status: 'error', message: 'failed to deserialize anyPattern, expected type array' };
  const failed: string[] = [];
  const skipped: string[] = [];
  for (const [idx, p] of anyPattern.entries()) {
    const r = matchPattern(state.resource, p);
    if (r.status === 'pass')
      return { status: 'pass', message: `validation rule '${state.ruleName}' anyPattern[${idx}] passed.` };
    if (r.status === 'skip') skipped.push(`rule ${state.ruleName}[${idx}] skipped: ${r.message}`);
    else if (r.status === 'error') failed.push(`rule ${state.ruleName}[${idx}] failed: ${r.message}`);
    else failed.push(`rule ${state.ruleName}[${idx}] failed at path ${r.path}`);
  }
  if (skipped.length && !failed.length) return { status: 'skip', message: skipped.join(' ') };
  if (failed.length) {
    const errors = failed.join(' ');
    if (!state.message) return { status: 'fail', message: `validation error: ${errors}` };
    const msg = substitutedMessage(state, state.message);
    if (msg === undefined)
      return {
        status: 'fail',
        message: `validation error: variables substitution error in rule ${state.ruleName} execution error: ${errors}`,
      };
    return { status: 'fail', message: `validation error: ${msg}${msg.endsWith('.') ? '' : '.'} ${errors}` };
  }
  return { status: 'pass', message: state.message };
}
