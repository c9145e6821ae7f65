import { resourceScope } from '../cel/lib/kyverno.js';
import type { KubeObject } from '../kube/objects.js';
import type { CompiledException } from './exceptions.js';
import type { Admission, CompiledRule, EvalEnvironment, RuleResult, Status } from './types.js';

/**
 * Runs one compiled rule against one admission request (docs/design/policy-gate.md §Rule pipeline):
 * not matched ⇒ no response (undefined, never `skip`); a false match condition ⇒ `skip`;
 * a matching exception ⇒ `skip` (or `pass` per its reportResult); the first false validation
 * ⇒ `fail`; an evaluation error ⇒ `error`; otherwise `pass`.
 */
export function runRule(
  rule: CompiledRule,
  request: Admission,
  env: EvalEnvironment,
  exceptions: readonly CompiledException[],
  shared: SharedRequest = {},
): RuleResult | undefined {
  // Kyverno evaluates a ValidatingAdmissionPolicy as a CREATE of the resource
  // (pkg/admissionpolicy/validate.go: admission.NewAttributesRecord(…, admission.Create, …)).
  const admission: Admission =
    rule.admissionAsCreate && request.operation !== 'CREATE'
      ? { ...request, operation: 'CREATE', object: request.resource, oldObject: null }
      : request;
  const { resource } = admission;
  if (rule.policyNamespace && resource.metadata.namespace !== rule.policyNamespace) return undefined;
  // Matching runs for every (rule, object) pair: it allocates nothing until it matches.
  let matched: boolean;
  let matchError: unknown;
  try {
    matched = rule.matches(admission, env);
  } catch (err) {
    matched = true;
    matchError = err;
  }
  if (!matched) return undefined;
  if (matchError)
    return ruleResult(rule, resource, 'error', {
      message: `match constraints: ${(matchError as Error).message}`,
    });
  if (rule.jmespath) {
    const response = rule.jmespath(admission, env);
    return response && ruleResult(rule, resource, response.status, { message: response.message });
  }

  let object = admission.object;
  let oldObject = admission.oldObject;
  if (
    rule.autogen === 'template' &&
    admission.info.kind === 'Rollout' &&
    admission.info.group === 'argoproj.io'
  ) {
    try {
      object = object && withWorkloadTemplate(object, env);
      oldObject = oldObject && withWorkloadTemplate(oldObject, env);
    } catch (err) {
      return ruleResult(rule, resource, 'error', { message: (err as Error).message });
    }
  }

  resourceScope.current = env.provider;
  const ns = resource.metadata.namespace;
  // The admission as evaluated (not a CREATE copy, not a Rollout given its workload's template)
  // shares one `request` across rules.
  const plain = admission === request && object === admission.object && oldObject === admission.oldObject;
  let requestValue = plain ? shared.request : undefined;
  if (!requestValue) {
    requestValue = requestVariable(admission, env, object, oldObject);
    if (plain) shared.request = requestValue;
  }
  const activation: Record<string, unknown> = {
    object,
    oldObject,
    request: requestValue,
    params: rule.params ? rule.params(admission, env) : null,
    namespaceObject: !ns
      ? null
      : rule.namespaceObjectFromLabels
        ? { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: env.namespaceLabels(ns) } }
        : env.namespaceObject(ns),
    authorizer: null,
    exceptions: NO_EXCEPTIONS,
  };
  activation.variables = lazyVariables(rule, activation);

  const errorStatus = rule.expressionErrors ?? 'error';
  for (let index = 0; index < rule.matchConditions.length; index++) {
    const condition = rule.matchConditions[index]!;
    let value: unknown;
    try {
      value = condition.program(activation);
    } catch (err) {
      return ruleResult(rule, resource, errorStatus, {
        message: `matchCondition ${condition.name}: ${celMessage(err)}`,
        path: `spec.matchConditions[${index}]`,
        expression: condition.expression,
      });
    }
    if (value !== true) {
      if (typeof value !== 'boolean') {
        return ruleResult(rule, resource, errorStatus, {
          message: `matchCondition ${condition.name} must evaluate to bool`,
          path: `spec.matchConditions[${index}]`,
          expression: condition.expression,
        });
      }
      return ruleResult(rule, resource, 'skip', { message: `match condition ${condition.name} not met` });
    }
  }

  const applying: CompiledException[] = [];
  for (const exception of exceptions) {
    if (!exception.policyRefs.some((r) => r.name === rule.policy)) continue;
    try {
      if (exception.matchConditions.every((c) => c.program(activation) === true)) applying.push(exception);
    } catch (err) {
      return ruleResult(rule, resource, 'error', {
        message: `PolicyException ${exception.ref}: ${celMessage(err)}`,
      });
    }
  }
  const waiver = applying.find((e) => e.images.length === 0 && e.allowedValues.length === 0);
  if (waiver) {
    return ruleResult(rule, resource, waiver.reportResult, {
      message: `waived by PolicyException ${waiver.ref}`,
      exception: waiver.ref,
    });
  }
  if (applying.length > 0) {
    activation.exceptions = {
      allowedImages: applying.flatMap((e) => e.images),
      allowedValues: applying.flatMap((e) => e.allowedValues),
    };
  }

  for (let index = 0; index < rule.validations.length; index++) {
    const validation = rule.validations[index]!;
    let value: unknown;
    try {
      value = validation.program(activation);
    } catch (err) {
      return ruleResult(rule, resource, errorStatus, {
        message: `${celMessage(err)} (expression: ${validation.expression})`,
        ...validationWhere(rule, index, validation.expression),
      });
    }
    if (value === true) continue;
    const where = validationWhere(rule, index, validation.expression);
    if (typeof value !== 'boolean') {
      return ruleResult(rule, resource, errorStatus, {
        message: `validation expression must evaluate to bool: ${validation.expression}`,
        ...where,
      });
    }
    let message = validation.message;
    if (validation.messageExpression) {
      try {
        const m = validation.messageExpression(activation);
        if (typeof m === 'string' && m.trim() !== '') message = m.trim();
      } catch {
        // Kubernetes: an erroring messageExpression falls back to `message` (VAP docs).
      }
    }
    return ruleResult(rule, resource, 'fail', {
      message: message ?? `failed expression: ${validation.expression}`,
      ...where,
      reason: validation.reason ?? 'Invalid',
    });
  }

  const auditAnnotations: Record<string, string> = {};
  for (const annotation of rule.auditAnnotations) {
    try {
      const value = annotation.program(activation);
      if (value !== null && value !== undefined) auditAnnotations[annotation.key] = String(value);
    } catch (err) {
      if (rule.ignoreAuditAnnotationErrors) continue;
      return ruleResult(rule, resource, 'error', {
        message: `auditAnnotation ${annotation.key}: ${celMessage(err)}`,
      });
    }
  }
  return ruleResult(rule, resource, 'pass', Object.keys(auditAnnotations).length ? { auditAnnotations } : {});
}

/** `exceptions` when no exception applies (most pairs): one shared value, never modified. */
const NO_EXCEPTIONS = Object.freeze({
  allowedImages: Object.freeze([] as string[]),
  allowedValues: Object.freeze([] as string[]),
});

/**
 * The `request` variable of one admission, built by the first rule that matches it and shared by
 * the others (expressions only read it): the caller passes one holder per admission.
 */
export interface SharedRequest {
  request?: Record<string, unknown>;
}

function requestVariable(
  admission: Admission,
  env: EvalEnvironment,
  object: KubeObject | null,
  oldObject: KubeObject | null,
): Record<string, unknown> {
  const { info, resource } = admission;
  return {
    operation: admission.operation,
    kind: { group: info.group, version: info.version, kind: info.kind },
    resource: { group: info.group, version: info.version, resource: info.resource },
    name: resource.metadata.name ?? '',
    namespace: resource.metadata.namespace ?? '',
    object,
    oldObject,
    userInfo: env.userInfo ?? { username: '', groups: [] },
    dryRun: false,
  };
}

/** Where a failing validation sits in its policy (built only for a result that names it). */
function validationWhere(
  rule: CompiledRule,
  index: number,
  expression: string,
): { path: string; expression: string } {
  return {
    path: `${rule.policyKind === 'ClusterPolicy' || rule.policyKind === 'Policy' ? `rules[${rule.rule}].validate.cel.expressions` : 'spec.validations'}[${index}]`,
    expression,
  };
}

/** One rule's result for one resource (module level: tsx names every nested function per call). */
function ruleResult(
  rule: CompiledRule,
  resource: KubeObject,
  status: Status,
  extra: Partial<RuleResult> = {},
): RuleResult {
  return {
    policy: rule.policy,
    policyKind: rule.policyKind,
    rule: rule.rule,
    baseRule: rule.baseRule,
    resource,
    actions: rule.actions,
    failurePolicy: rule.failurePolicy,
    ...(rule.source ? { source: rule.source } : {}),
    status,
    ...extra,
  };
}

/** `variables.<name>`: evaluated lazily, at most once per request, in declaration scope. */
function lazyVariables(rule: CompiledRule, activation: Record<string, unknown>): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const v of rule.variables) {
    let state: { value: unknown } | { error: unknown } | undefined;
    Object.defineProperty(vars, v.name, {
      enumerable: true,
      get() {
        if (!state) {
          try {
            state = { value: v.program(activation) };
          } catch (error) {
            state = { error };
          }
        }
        if ('error' in state) throw state.error;
        return state.value;
      },
    });
  }
  return vars;
}

/**
 * A Rollout with `spec.workloadRef` has no template of its own; Argo Rollouts takes it from the
 * referenced Deployment/ReplicaSet/PodTemplate (argo-rollouts docs, "Workload Referencing").
 * We judge that template under the Rollout, and fail closed if the reference cannot be resolved.
 */
function withWorkloadTemplate(rollout: KubeObject, env: EvalEnvironment): KubeObject {
  const spec = (rollout.spec ?? {}) as Record<string, unknown>;
  if (spec.template || !spec.workloadRef) return rollout;
  const ref = spec.workloadRef as { apiVersion?: string; kind?: string; name?: string };
  const target = env.workload(rollout.metadata.namespace ?? 'default', ref);
  if (!target) {
    throw new Error(
      `Rollout ${rollout.metadata.name}: workloadRef ${ref.kind ?? '?'}/${ref.name ?? '?'} not found among the evaluated objects`,
    );
  }
  const template =
    target.kind === 'PodTemplate'
      ? target.template
      : (target.spec as Record<string, unknown> | undefined)?.template;
  return { ...rollout, spec: { ...spec, template } };
}

function celMessage(err: unknown): string {
  return ((err as Error).message ?? String(err)).split('\n')[0]!;
}
