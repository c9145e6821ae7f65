import type { ClusterPolicyDoc, ClusterPolicyRuleDoc } from '../policy/schema.js';
import { type PodSecuritySpec, parseMinor } from './pod-security.js';
import { compileQuery } from './query.js';
import type { JmespathRuleDoc } from './rule.js';
import type { ForeachSpec } from './validator.js';

/**
 * Turns a ClusterPolicy/Policy rule with a JMESPath `validate` body (pattern, anyPattern, deny,
 * foreach, podSecurity) into what the evaluator runs, and builds its autogen variants (kyverno v1.19.0
 * pkg/autogen/v1/rule.go): the pattern (each anyPattern entry) is wrapped under
 * `spec.template` (CronJob: `spec.jobTemplate.spec.template`), and every `request.object.spec` /
 * `request.object.metadata` (and `oldObject`) in the rule's text is moved to the template.
 */
export class JmespathRuleError extends Error {}

export function isJmespathValidate(rule: ClusterPolicyRuleDoc): boolean {
  const v = rule.validate;
  return (
    !!v &&
    (v.pattern !== undefined ||
      v.anyPattern !== undefined ||
      v.deny !== undefined ||
      v.foreach !== undefined ||
      v.podSecurity !== undefined)
  );
}

export type AutogenTarget = 'template' | 'cronjob';

const REPLACEMENTS: Record<AutogenTarget, [string, string][]> = {
  template: [
    ['request.object.spec', 'request.object.spec.template.spec'],
    ['request.oldObject.spec', 'request.oldObject.spec.template.spec'],
    ['request.object.metadata', 'request.object.spec.template.metadata'],
    ['request.oldObject.metadata', 'request.oldObject.spec.template.metadata'],
  ],
  cronjob: [
    ['request.object.spec', 'request.object.spec.jobTemplate.spec.template.spec'],
    ['request.oldObject.spec', 'request.oldObject.spec.jobTemplate.spec.template.spec'],
    ['request.object.metadata', 'request.object.spec.jobTemplate.spec.template.metadata'],
    ['request.oldObject.metadata', 'request.oldObject.spec.jobTemplate.spec.template.metadata'],
  ],
};

const wrap = (pattern: unknown, target: AutogenTarget) =>
  target === 'template'
    ? { spec: { template: pattern } }
    : { spec: { jobTemplate: { spec: { template: pattern } } } };

export function compileJmespathRule(
  doc: ClusterPolicyDoc,
  rule: ClusterPolicyRuleDoc,
  name: string,
  target?: AutogenTarget,
): JmespathRuleDoc {
  const v = rule.validate!;
  let body: Record<string, unknown> = {
    context: rule.context,
    preconditions: rule.preconditions,
    ...(v.pattern !== undefined ? { pattern: target ? wrap(v.pattern, target) : v.pattern } : {}),
    ...(v.pattern === undefined && v.anyPattern !== undefined
      ? {
          anyPattern: Array.isArray(v.anyPattern)
            ? target
              ? v.anyPattern.map((p) => wrap(p, target))
              : v.anyPattern
            : v.anyPattern,
        }
      : {}),
    ...(v.deny !== undefined ? { deny: v.deny ?? {} } : {}),
    ...(v.foreach !== undefined ? { foreach: v.foreach } : {}),
    ...(v.podSecurity !== undefined ? { podSecurity: v.podSecurity } : {}),
    message: v.message ?? '',
  };
  if (target) {
    let text = JSON.stringify(body);
    for (const [from, to] of REPLACEMENTS[target]) text = text.replaceAll(from, to);
    body = JSON.parse(text) as Record<string, unknown>;
  }
  if (body.foreach !== undefined && !Array.isArray(body.foreach))
    throw new JmespathRuleError(`rule ${rule.name}: validate.foreach must be a list`);
  checkQueries((body.foreach as ForeachSpec[] | undefined) ?? [], rule.name);
  refuseReferences([v.pattern, v.anyPattern, v.foreach], rule.name);
  const failureAction = v.failureAction ?? doc.spec.validationFailureAction ?? 'Audit';
  return {
    name,
    message: body.message as string,
    context: body.context,
    preconditions: body.preconditions,
    pattern: body.pattern,
    anyPattern: body.anyPattern,
    deny: body.deny as JmespathRuleDoc['deny'],
    foreach: body.foreach as ForeachSpec[] | undefined,
    ...(body.podSecurity ? { podSecurity: checkPodSecurity(body.podSecurity, rule.name) } : {}),
    enforce: failureAction.toLowerCase() === 'enforce',
    allowExistingViolations: (v as { allowExistingViolations?: boolean }).allowExistingViolations !== false,
  } as JmespathRuleDoc;
}

/**
 * `$(./../path)` references and `{{@}}` inside patterns (kyverno pkg/engine/variables/vars.go
 * substituteReferences) are not implemented: refuse rather than compare them as literal text.
 */
function refuseReferences(values: unknown[], rule: string): void {
  const walk = (v: unknown): boolean => {
    if (typeof v === 'string') return /(^|[^\\])\$\(.[^ ]*\)/.test(v) || /\{\{-?\s*@\s*\}\}/.test(v);
    if (Array.isArray(v)) return v.some(walk);
    if (v !== null && typeof v === 'object') return Object.entries(v).some(([k, x]) => walk(k) || walk(x));
    return false;
  };
  if (values.some(walk))
    throw new JmespathRuleError(
      `rule ${rule}: pattern references $(…) and {{@}} are not supported by the offline engine`,
    );
}

/** Kyverno's policy validation: a known level and a parseable version. */
function checkPodSecurity(spec: unknown, rule: string): PodSecuritySpec {
  const ps = spec as PodSecuritySpec;
  if (!['baseline', 'restricted', 'privileged'].includes(ps?.level))
    throw new JmespathRuleError(`rule ${rule}: podSecurity.level must be baseline, restricted or privileged`);
  try {
    parseMinor(ps.version);
  } catch (err) {
    throw new JmespathRuleError(`rule ${rule}: ${(err as Error).message}`);
  }
  return ps;
}

/** foreach `list` queries must parse (Kyverno's policy validation rejects the policy otherwise). */
function checkQueries(list: ForeachSpec[], rule: string): void {
  for (const f of list) {
    if (typeof f?.list !== 'string')
      throw new JmespathRuleError(`rule ${rule}: every foreach needs a list expression`);
    try {
      compileQuery(f.list);
    } catch (err) {
      throw new JmespathRuleError(`rule ${rule}: ${(err as Error).message}`);
    }
    const nested = (f as { foreach?: unknown }).foreach;
    if (Array.isArray(nested)) checkQueries(nested as ForeachSpec[], rule);
  }
}
