import type { KubeObject } from '../kube/objects.js';
import type { PolicySet } from '../policy/policy-set.js';
import type { CompiledException } from './exceptions.js';
import { matchableResources } from './match-constraints.js';
import { runRule } from './run-rule.js';
import type { Admission, EvalEnvironment, Operation, RuleResult } from './types.js';

export interface EvaluateOptions {
  operation?: Operation;
  /** Per-object operation override (kyverno test values: `request.operation` per resource). */
  operationFor?: (object: KubeObject) => Operation | undefined;
  /** The previous version of an object for UPDATE (kyverno test `oldResources:`); defaults to itself. */
  oldObjectFor?: (object: KubeObject) => KubeObject | undefined;
  /** Exceptions to honour (defaults to the set's own). */
  exceptions?: readonly CompiledException[];
  /** Kinds that cannot be mapped to a resource: `error` (gate, fail closed) or `namespaced` (kyverno CLI). */
  unknownKinds?: 'error' | 'namespaced';
}

/** Raised for an object whose kind cannot be mapped (the gate exits 2). */
export class EvaluationInputError extends Error {}

/** Every rule of the set against every object; only matched (rule, object) pairs yield results. */
export function evaluateObjects(
  set: PolicySet,
  objects: readonly KubeObject[],
  env: EvalEnvironment,
  options: EvaluateOptions = {},
): RuleResult[] {
  const results: RuleResult[] = [];
  const exceptions = options.exceptions ?? set.exceptions;
  // Once per call, not per (rule, object) pair.
  const policyKeys = set.rules.map(
    (rule) => `${rule.policyKind}/${rule.policyNamespace ?? ''}/${rule.policy}`,
  );
  // Most (rule, object) pairs differ in resource: a rule whose matcher cannot match the object's
  // resource is skipped without building its request (runRule would answer no response).
  const matchable = set.rules.map((rule) => matchableResources(rule.matches));
  for (const resource of objects) {
    let info = env.resources.lookup(resource.apiVersion, resource.kind);
    if (!info) {
      if (options.unknownKinds !== 'namespaced') {
        throw new EvaluationInputError(
          `${resource.kind} ${resource.metadata.namespace ? `${resource.metadata.namespace}/` : ''}${resource.metadata.name}: ` +
            `cannot map kind ${resource.kind} (apiVersion ${resource.apiVersion}) to an API resource`,
        );
      }
      const [group, version] = resource.apiVersion.includes('/')
        ? resource.apiVersion.split('/')
        : ['', resource.apiVersion];
      info = {
        group: group!,
        version: version!,
        kind: resource.kind,
        resource: `${resource.kind.toLowerCase()}s`,
        namespaced: true,
      };
    }
    const operation = options.operationFor?.(resource) ?? options.operation ?? 'CREATE';
    const admission: Admission = {
      operation,
      resource,
      info,
      object: operation === 'DELETE' ? null : resource,
      // docs/design/policy-gate.md §What the CLI feeds the engine: UPDATE compares against the
      // previous version (the resource itself unless the test names oldResources); DELETE has no
      // object and the resource as oldObject.
      oldObject:
        operation === 'CREATE'
          ? null
          : operation === 'UPDATE'
            ? (options.oldObjectFor?.(resource) ?? resource)
            : resource,
    };
    // Kyverno v1.19.0 pkg/engine/validation.go: with applyRules One a policy stops after the first
    // rule that passes or fails for this resource.
    let applied: Set<string> | undefined;
    const shared = {};
    for (let i = 0; i < set.rules.length; i++) {
      const rule = set.rules[i]!;
      if (rule.mode === 'JSON') continue;
      const policyKey = policyKeys[i]!;
      if (rule.applyOne && applied?.has(policyKey)) continue;
      if (!rule.admissionAsCreate && matchable[i] && !matchable[i]!.has(info.resource)) continue;
      const r = runRule(rule, admission, env, exceptions, shared);
      if (!r) continue;
      results.push(r);
      if (rule.applyOne && (r.status === 'pass' || r.status === 'fail')) {
        applied ??= new Set();
        applied.add(policyKey);
      }
    }
  }
  return results;
}

/**
 * JSON payloads (a test's `jsonPayloads:`) against the set's `evaluation.mode: JSON`
 * ValidatingPolicies: each payload is `object`, results name the payload (its cleaned path).
 */
export function evaluateJsonPayloads(
  set: PolicySet,
  payloads: readonly { resource: KubeObject; data: Record<string, unknown> }[],
  env: EvalEnvironment,
  options: Pick<EvaluateOptions, 'exceptions'> = {},
): RuleResult[] {
  const results: RuleResult[] = [];
  const exceptions = options.exceptions ?? set.exceptions;
  for (const payload of payloads) {
    // `resource` only names the payload in results; CEL sees the payload itself as `object`.
    const admission: Admission = {
      operation: 'CREATE',
      resource: payload.resource,
      info: { group: '', version: '', kind: '', resource: '', namespaced: false },
      object: payload.data as KubeObject,
      oldObject: null,
    };
    for (const rule of set.rules) {
      if (rule.mode !== 'JSON') continue;
      const r = runRule(rule, admission, env, exceptions);
      if (r) results.push(r);
    }
  }
  return results;
}
