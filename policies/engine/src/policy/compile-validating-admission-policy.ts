import { compileExpression } from '../cel/compile.js';
import { compileMatchConstraints } from '../evaluate/match-constraints.js';
import type {
  Action,
  Admission,
  CompiledRule,
  EvalEnvironment,
  Matcher,
  NamedProgram,
} from '../evaluate/types.js';
import { matchesLabelSelector } from '../kube/label-selector.js';
import type { KubeObject } from '../kube/objects.js';
import type { ValidatingAdmissionPolicyBindingDoc, ValidatingAdmissionPolicyDoc } from './schema.js';

/** A ValidatingAdmissionPolicyBinding as the matcher needs it. */
export interface CompiledBinding {
  name: string;
  policyName: string;
  actions: Action[];
  /** Undefined when the binding has no matchResources (it then binds everything). */
  matches?: Matcher;
  /** With a paramRef: the `params` value chosen from the test's parameter resources. */
  params?: (objects: readonly KubeObject[]) => unknown;
}

/**
 * kyverno v1.19.0 pkg/admissionpolicy/validate.go processVAPWithoutClient with matchesSelector
 * (mutate.go): without a selector the first parameter resource whose name (or else namespace)
 * equals the paramRef's is `params`; with a selector, every resource it selects, as a list
 * (`{items: […]}`); nothing found ⇒ `params` is null.
 */
function selectParams(
  objects: readonly KubeObject[],
  ref: NonNullable<ValidatingAdmissionPolicyBindingDoc['spec']['paramRef']>,
): unknown {
  const hits = objects.filter((o) => {
    if (ref.selector) return matchesLabelSelector(ref.selector, o.metadata.labels ?? {});
    if (ref.name) return o.metadata.name === ref.name;
    return Boolean(ref.namespace) && o.metadata.namespace === ref.namespace;
  });
  if (!ref.selector) return hits[0] ?? null;
  return hits.length ? { apiVersion: 'v1', kind: 'List', items: hits } : null;
}

export function compileBinding(doc: ValidatingAdmissionPolicyBindingDoc): CompiledBinding {
  const ref = doc.spec.paramRef;
  return {
    name: doc.metadata.name,
    policyName: doc.spec.policyName,
    actions: [...(doc.spec.validationActions ?? [])],
    ...(ref ? { params: (objects: readonly KubeObject[]) => selectParams(objects, ref) } : {}),
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
 *  - `params` from the test's `paramResources:` as the last matching binding's paramRef picks
 *    them (selectParams);
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
  const named = (list: { name: string; expression: string }[]): NamedProgram[] =>
    list.map((v) => ({ name: v.name, expression: v.expression, program: compileExpression(v.expression) }));
  const definition = compileMatchConstraints(spec.matchConstraints, { emptyRulesMatchAll: true });
  const name = doc.metadata.name;
  const bound = (admission: Admission, env: EvalEnvironment) =>
    bindings.filter((b) => b.policyName === name && (!b.matches || b.matches(admission, env)));
  const matches: Matcher = (admission, env) => {
    if (!bindings.some((b) => b.policyName === name)) return definition(admission, env);
    if (env.clusterResources && !definition(admission, env)) return false;
    return bound(admission, env).length > 0;
  };
  // The response of the last matching binding is the one kept (validate.go overwrites `er`).
  const params = (admission: Admission, env: EvalEnvironment): unknown =>
    bound(admission, env)
      .at(-1)
      ?.params?.(env.paramObjects ?? []) ?? null;
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
    params,
    namespaceObjectFromLabels: true,
    annotations: doc.metadata.annotations ?? {},
    ...(source ? { source } : {}),
  };
}
