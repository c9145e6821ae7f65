import { compileExpression } from '../cel/compile.js';
import { compileMatchExclude } from '../evaluate/match-filters.js';
import type { Action, CompiledRule } from '../evaluate/types.js';
import { type Controller, resolveControllers, rewriteForController } from './autogen.js';
import type { ClusterPolicyDoc, ClusterPolicyRuleDoc, MatchBlockDoc } from './schema.js';
import { UnsupportedPolicyError } from './unsupported.js';

/** A rule the offline engine cannot evaluate: its whole policy is reported unsupported. */
export class UnsupportedRuleError extends UnsupportedPolicyError {}

/**
 * Legacy ClusterPolicy/Policy rules of type `validate.cel`
 * (docs/design/policy-gate.md §CEL environment): celPreconditions act as match conditions,
 * `cel.variables`/`expressions`/`auditAnnotations` as in a ValidatingPolicy. Any other rule type
 * (JMESPath pattern/deny/foreach, podSecurity, mutate, generate) is refused: this engine only
 * evaluates CEL, and guessing would be worse than failing closed.
 */
export function compileClusterPolicy(doc: ClusterPolicyDoc, source?: string): CompiledRule[] {
  const out: CompiledRule[] = [];
  const annotations = doc.metadata.annotations ?? {};
  const autogenEligible = doc.spec.rules.every((r) => eligible(r));
  const controllerList = annotations['pod-policies.kyverno.io/autogen-controllers']?.split(',');
  const controllers = autogenEligible ? resolveControllers(controllerList) : [];
  for (const rule of doc.spec.rules) {
    const cel = rule.validate?.cel;
    if (!cel || rule.mutate || rule.generate || rule.verifyImages) {
      throw new UnsupportedRuleError(
        `${doc.kind} ${doc.metadata.name} rule ${rule.name}: only validate.cel rules are supported by the offline engine`,
      );
    }
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
