import { compileExpression } from '../cel/compile.js';
import { compileMatchConstraints } from '../evaluate/match-constraints.js';
import type { Action, CompiledRule, Matcher, NamedProgram } from '../evaluate/types.js';
import type { ValidatingAdmissionPolicyBindingDoc, ValidatingAdmissionPolicyDoc } from './schema.js';
import { UnsupportedPolicyError } from './unsupported.js';

/** A ValidatingAdmissionPolicyBinding as the matcher needs it. */
export interface CompiledBinding {
  name: string;
  policyName: string;
  actions: Action[];
  /** Undefined when the binding has no matchResources (it then binds everything). */
  matches?: Matcher;
}

export function compileBinding(doc: ValidatingAdmissionPolicyBindingDoc): CompiledBinding {
  if (doc.spec.paramRef !== undefined) {
    throw new UnsupportedPolicyError(
      `ValidatingAdmissionPolicyBinding ${doc.metadata.name}: paramRef (parameter resources) is not supported`,
    );
  }
  return {
    name: doc.metadata.name,
    policyName: doc.spec.policyName,
    actions: [...(doc.spec.validationActions ?? [])],
    ...(doc.spec.matchResources
      ? { matches: compileMatchConstraints(doc.spec.matchResources, { emptyRulesMatchAll: true }) }
      : {}),
  };
}

/**
 * A Kubernetes ValidatingAdmissionPolicy the way the Kyverno CLI evaluates it (kyverno v1.19.0
 * pkg/admissionpolicy/validate.go):
 *  - always as a CREATE request with no oldObject, `namespaceObject` carrying the namespace
 *    labels of the values file;
 *  - without a binding, the policy's matchConstraints decide; with bindings and no
 *    `clusterResources:` (processVAPWithoutClient), only the bindings' matchResources decide, and
 *    a binding without matchResources binds every resource; with `clusterResources:`
 *    (processVAPWithClient) the policy's matchConstraints and a binding must both match;
 *  - false matchConditions ⇒ skip, a false validation ⇒ fail, any evaluation error ⇒ error
 *    (validateResource reads EvalError before the action); audit annotations are not read.
 * `bindings` is the policy set's live list: bindings may be loaded after their policy.
 */
export function compileValidatingAdmissionPolicy(
  doc: ValidatingAdmissionPolicyDoc,
  bindings: readonly CompiledBinding[],
  source?: string,
): CompiledRule {
  const spec = doc.spec;
  if (spec.paramKind !== undefined && spec.paramKind !== null) {
    throw new UnsupportedPolicyError(
      `ValidatingAdmissionPolicy ${doc.metadata.name}: paramKind (parameter resources) is not supported`,
    );
  }
  const named = (list: { name: string; expression: string }[]): NamedProgram[] =>
    list.map((v) => ({ name: v.name, expression: v.expression, program: compileExpression(v.expression) }));
  const definition = compileMatchConstraints(spec.matchConstraints, { emptyRulesMatchAll: true });
  const name = doc.metadata.name;
  const matches: Matcher = (admission, env) => {
    const mine = bindings.filter((b) => b.policyName === name);
    if (mine.length === 0) return definition(admission, env);
    if (env.clusterResources && !definition(admission, env)) return false;
    return mine.some((b) => !b.matches || b.matches(admission, env));
  };
  return {
    policy: name,
    policyKind: 'ValidatingAdmissionPolicy',
    rule: '',
    baseRule: '',
    matches,
    matchConditions: named(spec.matchConditions),
    variables: named(spec.variables),
    validations: spec.validations.map((v) => ({
      expression: v.expression,
      program: compileExpression(v.expression),
      ...(v.message ? { message: v.message } : {}),
      ...(v.messageExpression ? { messageExpression: compileExpression(v.messageExpression) } : {}),
      ...(v.reason ? { reason: v.reason } : {}),
    })),
    auditAnnotations: spec.auditAnnotations.map((a) => ({
      key: a.key,
      program: compileExpression(a.valueExpression),
    })),
    get actions(): Action[] {
      const bound = bindings.filter((b) => b.policyName === name).flatMap((b) => b.actions);
      return bound.length ? [...new Set(bound)] : ['Deny'];
    },
    failurePolicy: spec.failurePolicy ?? 'Fail',
    expressionErrors: 'error',
    ignoreAuditAnnotationErrors: true,
    admissionAsCreate: true,
    namespaceObjectFromLabels: true,
    annotations: doc.metadata.annotations ?? {},
    ...(source ? { source } : {}),
  };
}
