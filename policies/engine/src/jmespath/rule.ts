import type { Admission, EvalEnvironment, Status } from '../evaluate/types.js';
import type { KubeObject } from '../kube/objects.js';
import { evaluateConditions } from './conditions.js';
import { type ContextSources, loadContext, setVariable } from './context.js';
import { imagesOf } from './images.js';
import { ruleError } from './rule-error.js';
import { type Response, type State, type ValidatorSpec, validate } from './validator.js';

/**
 * One JMESPath validate rule of a ClusterPolicy/Policy, run against one admission request the
 * way Kyverno's engine does (kyverno v1.19.0 pkg/engine/engine.go invokeRuleHandler, then
 * validate_resource.go): values from the test's values file, `context` entries, preconditions
 * (false ⇒ `skip`), then the body. An Enforce rule on UPDATE whose old object fails too is
 * `skip` (allowExistingViolations, default true).
 */
export interface JmespathRuleDoc extends ValidatorSpec {
  name: string;
  message: string;
  enforce: boolean;
  allowExistingViolations: boolean;
}

/** What a `kyverno test` values/context file or the gate's environment lends a rule. */
export interface KyvernoInputs {
  /** `globalValues` + per-resource values + per-rule `values` (dotted keys). */
  values(policy: string, rule: string, resource: KubeObject): Record<string, unknown>;
  foreachValues(policy: string, rule: string): Record<string, unknown[]>;
  sources: ContextSources;
  /** `request.userInfo`, roles, clusterRoles when a userinfo file is given. */
  userInfo?: Record<string, unknown>;
}

export type JmespathBody = (
  admission: Admission,
  env: EvalEnvironment,
) => { status: Status; message: string } | undefined;

export function jmespathBody(policy: string, baseRule: string, doc: JmespathRuleDoc): JmespathBody {
  return (admission, env) => {
    const inputs = env.kyverno;
    const run = (
      object: KubeObject | null,
      oldObject: KubeObject | null,
      operation: Admission['operation'],
    ) => runOnce(policy, baseRule, doc, admission.resource, object, oldObject, operation, inputs);
    const response = run(admission.object, admission.oldObject, admission.operation);
    if (
      response?.status === 'fail' &&
      doc.enforce &&
      doc.allowExistingViolations &&
      admission.operation === 'UPDATE' &&
      admission.oldObject
    ) {
      const prior = run(admission.oldObject, null, 'CREATE');
      if (prior?.status === 'fail')
        return {
          status: 'skip',
          message: 'skipping the rule evaluation as pre-existing violations are allowed',
        };
    }
    return response;
  };
}

function runOnce(
  policy: string,
  baseRule: string,
  doc: JmespathRuleDoc,
  resource: KubeObject,
  object: KubeObject | null,
  oldObject: KubeObject | null,
  operation: Admission['operation'],
  inputs: KyvernoInputs | undefined,
): Response | undefined {
  const request: Record<string, unknown> = {
    operation,
    namespace: resource.metadata.namespace ?? '',
    ...(operation === 'DELETE' ? {} : { object }),
    ...(oldObject ? { oldObject } : {}),
    ...(inputs?.userInfo ?? {}),
  };
  const data: Record<string, unknown> = { request };
  const images = imagesOf(object ?? oldObject);
  if (images) data.images = images;
  for (const [k, v] of Object.entries(inputs?.values(policy, baseRule, resource) ?? {}))
    setVariable(data, k, v);
  const state: State = {
    ruleName: doc.name,
    message: doc.message,
    ctx: { data, isDelete: operation === 'DELETE' },
    sources: inputs?.sources ?? {
      objects: [],
      cluster: false,
      apiCallResponses: [],
      globalContextEntries: {},
    },
    resource: object ?? {},
    nesting: 0,
    foreachValues: inputs?.foreachValues(policy, baseRule) ?? {},
  };
  try {
    loadContext(doc.context, state.ctx, state.sources);
  } catch (err) {
    return ruleError('failed to load context', err);
  }
  try {
    const pre = evaluateConditions(doc.preconditions, state.ctx);
    if (!pre.result)
      return { status: 'skip', message: ['preconditions not met', pre.message].filter(Boolean).join('; ') };
  } catch (err) {
    return ruleError('failed to evaluate preconditions', err);
  }
  return validate({ ...doc, context: undefined, preconditions: undefined }, state, false);
}
