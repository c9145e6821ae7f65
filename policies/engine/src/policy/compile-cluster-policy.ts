import { compileExpression } from '../cel/compile.js';
import { compileMatchExclude } from '../evaluate/match-filters.js';
import type { Action, CompiledRule } from '../evaluate/types.js';
import { compileJmespathRule, isJmespathValidate } from '../jmespath/compile-rule.js';
import { jmespathBody } from '../jmespath/rule.js';
import { type Controller, resolveControllers, rewriteForController } from './autogen.js';
import type { ClusterPolicyDoc, ClusterPolicyRuleDoc, MatchBlockDoc } from './schema.js';
import { UnsupportedPolicyError } from './unsupported.js';

/** A rule the offline engine cannot evaluate: its whole policy is reported unsupported. */
export class UnsupportedRuleError extends UnsupportedPolicyError {}

/**
 * ClusterPolicy/Policy validate rules. `validate.cel` (kyverno v1.19.0 validate_cel.go;
 * docs/design/policy-gate.md §CEL environment): celPreconditions act as match conditions,
 * `cel.variables`/`expressions`/`auditAnnotations` as in a ValidatingPolicy. JMESPath
 * `pattern`/`anyPattern`/`deny`/`foreach` and `podSecurity` run through `../jmespath/`. Any other
 * rule type is refused with the reason (see policies/README.md): guessing would be worse than
 * failing closed.
 */
export function compileClusterPolicy(doc: ClusterPolicyDoc, source?: string): CompiledRule[] {
  const out: CompiledRule[] = [];
  const annotations = doc.metadata.annotations ?? {};
  const autogenEligible = doc.spec.rules.every((r) => eligible(r));
  const controllerList = annotations['pod-policies.kyverno.io/autogen-controllers']?.split(',');
  const controllers = autogenEligible ? resolveControllers(controllerList) : [];
  for (const rule of doc.spec.rules) {
    refuseUnsupported(doc, rule);
    if (!rule.validate?.cel) {
      out.push(...compileJmespath(doc, rule, controllers, annotations, source));
      continue;
    }
    const cel = rule.validate.cel;
    const failureAction = rule.validate?.failureAction ?? doc.spec.validationFailureAction ?? 'Audit';
    const actions: Action[] = failureAction.toLowerCase() === 'enforce' ? ['Deny'] : ['Audit'];
    const build = (
      name: string,
      match: MatchBlockDoc,
      rewrite: (e: string) => string,
      autogen?: CompiledRule['autogen'],
    ) => {
      const named = (list: { name: string; expression: string }[]) =>
        list.map((v) => ({
          name: v.name,
          expression: rewrite(v.expression),
          program: compileExpression(rewrite(v.expression)),
        }));
      const compiled: CompiledRule = {
        policy: doc.metadata.name,
        policyKind: doc.kind,
        rule: name,
        baseRule: rule.name,
        matches: compileMatchExclude(match, rule.exclude),
        matchConditions: named(rule.celPreconditions),
        variables: named(cel.variables),
        validations: cel.expressions.map((e) => ({
          expression: rewrite(e.expression),
          program: compileExpression(rewrite(e.expression)),
          // validate_cel.go: an expression without a message takes the rule's validate.message.
          ...((e.message ?? rule.validate?.message)
            ? { message: (e.message ?? rule.validate?.message)! }
            : {}),
          ...(e.messageExpression
            ? { messageExpression: compileExpression(rewrite(e.messageExpression)) }
            : {}),
          ...(e.reason ? { reason: e.reason } : {}),
        })),
        auditAnnotations: cel.auditAnnotations.map((a) => ({
          key: a.key,
          program: compileExpression(rewrite(a.valueExpression)),
        })),
        actions,
        failurePolicy: doc.spec.failurePolicy ?? 'Fail',
        // kyverno v1.19.0 pkg/engine/handlers/validation/validate_cel.go builds the Kubernetes
        // validator with a nil failure policy (k8s.io/apiserver validating.NewValidator: nil means
        // Fail), so an erroring expression or celPrecondition is a Deny decision, which the
        // handler reports as RuleFail; audit annotation results are never read.
        expressionErrors: 'fail',
        ignoreAuditAnnotationErrors: true,
        annotations,
        ...(doc.spec.applyRules === 'One' ? { applyOne: true } : {}),
        ...(doc.kind === 'Policy' ? { policyNamespace: doc.metadata.namespace ?? 'default' } : {}),
        ...(autogen ? { autogen } : {}),
        ...(source ? { source } : {}),
      };
      return compiled;
    };
    out.push(build(rule.name, rule.match, (e) => e));
    if (!listsPod(rule.match)) continue;
    const template = controllers.filter((c) => c.prefix === 'template');
    const cron = controllers.filter((c) => c.prefix === 'cronjob');
    if (template.length) {
      out.push(
        build(
          truncate(`autogen-${rule.name}`),
          replaceKinds(rule.match, template),
          (e) => rewriteForController(e, 'template'),
          'template',
        ),
      );
    }
    if (cron.length) {
      out.push(
        build(
          truncate(`autogen-cronjob-${rule.name}`),
          replaceKinds(rule.match, cron),
          (e) => rewriteForController(e, 'cronjob'),
          'cronjob',
        ),
      );
    }
  }
  return out;
}

const truncate = (name: string) => name.slice(0, 63);

/** The exact refusals policies/README.md lists. */
function refuseUnsupported(doc: ClusterPolicyDoc, rule: ClusterPolicyRuleDoc): void {
  const where = `${doc.kind} ${doc.metadata.name} rule ${rule.name}`;
  if (rule.mutate)
    throw new UnsupportedRuleError(`${where}: mutate rules are not supported by the offline engine`);
  if (rule.generate)
    throw new UnsupportedRuleError(`${where}: generate rules are not supported by the offline engine`);
  if (rule.verifyImages)
    throw new UnsupportedRuleError(
      `${where}: verifyImages rules need registry access and are not supported by the offline engine`,
    );
  const v = rule.validate;
  if (v?.manifests !== undefined)
    throw new UnsupportedRuleError(`${where}: validate.manifests is not supported by the offline engine`);
  if (!v?.cel && !isJmespathValidate(rule))
    throw new UnsupportedRuleError(
      `${where}: a validate rule needs pattern, anyPattern, deny, foreach, podSecurity or cel`,
    );
}

/** One JMESPath rule and its autogen-/autogen-cronjob- variants. */
function compileJmespath(
  doc: ClusterPolicyDoc,
  rule: ClusterPolicyRuleDoc,
  controllers: Controller[],
  annotations: Record<string, string>,
  source: string | undefined,
): CompiledRule[] {
  const failureAction = rule.validate?.failureAction ?? doc.spec.validationFailureAction ?? 'Audit';
  const build = (name: string, match: MatchBlockDoc, autogen?: 'template' | 'cronjob'): CompiledRule => ({
    policy: doc.metadata.name,
    policyKind: doc.kind,
    rule: name,
    baseRule: rule.name,
    matches: compileMatchExclude(match, rule.exclude),
    matchConditions: [],
    variables: [],
    validations: [],
    auditAnnotations: [],
    actions: failureAction.toLowerCase() === 'enforce' ? ['Deny'] : ['Audit'],
    failurePolicy: doc.spec.failurePolicy ?? 'Fail',
    annotations,
    jmespath: jmespathBody(doc.metadata.name, rule.name, compileJmespathRule(doc, rule, name, autogen)),
    ...(doc.spec.applyRules === 'One' ? { applyOne: true } : {}),
    ...(doc.kind === 'Policy' ? { policyNamespace: doc.metadata.namespace ?? 'default' } : {}),
    ...(autogen ? { autogen } : {}),
    ...(source ? { source } : {}),
  });
  const out = [build(rule.name, rule.match)];
  if (!listsPod(rule.match)) return out;
  const template = controllers.filter((c) => c.prefix === 'template');
  const cron = controllers.filter((c) => c.prefix === 'cronjob');
  if (template.length)
    out.push(build(truncate(`autogen-${rule.name}`), replaceKinds(rule.match, template), 'template'));
  if (cron.length)
    out.push(build(truncate(`autogen-cronjob-${rule.name}`), replaceKinds(rule.match, cron), 'cronjob'));
  return out;
}

function blocks(match: MatchBlockDoc) {
  return [...(match.any ?? []), ...(match.all ?? []), ...(match.resources ? [match] : [])];
}

function listsPod(match: MatchBlockDoc): boolean {
  return blocks(match).some((b) => b.resources?.kinds?.some((k) => k.split('/').at(-1) === 'Pod'));
}

/**
 * docs/design/policy-gate.md §Auto-generation for Pod controllers: no names/selectors/annotations,
 * no mixing Pod with other kinds, some block names Pod.
 */
function eligible(rule: ClusterPolicyRuleDoc): boolean {
  const all = [...blocks(rule.match), ...(rule.exclude ? blocks(rule.exclude) : [])];
  for (const b of all) {
    const r = b.resources;
    if (!r) continue;
    if (r.name || r.names?.length || r.selector || (r.annotations && Object.keys(r.annotations).length))
      return false;
    const kinds = r.kinds ?? [];
    if (kinds.some((k) => k.split('/').at(-1) === 'Pod') && kinds.length > 1) return false;
  }
  return listsPod(rule.match);
}

/**
 * Only blocks listing Pod get their kinds replaced
 * (docs/design/policy-gate.md §Auto-generation for Pod controllers).
 */
function replaceKinds(match: MatchBlockDoc, controllers: Controller[]): MatchBlockDoc {
  const swap = <T extends { resources?: { kinds?: string[] | null } | null }>(b: T): T =>
    b.resources?.kinds?.some((k) => k.split('/').at(-1) === 'Pod')
      ? { ...b, resources: { ...b.resources, kinds: controllers.map((c) => c.kind) } }
      : b;
  return {
    ...(match.any ? { any: match.any.map(swap) } : {}),
    ...(match.all ? { all: match.all.map(swap) } : {}),
    ...(match.resources ? swap({ resources: match.resources }) : {}),
  };
}
