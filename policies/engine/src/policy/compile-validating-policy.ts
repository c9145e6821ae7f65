import { compileExpression } from '../cel/compile.js';
import { compileMatchConstraints } from '../evaluate/match-constraints.js';
import type { Action, CompiledRule, CompiledValidation, NamedProgram } from '../evaluate/types.js';
import { type Controller, resolveControllers, rewriteForController } from './autogen.js';
import type { MatchResourcesDoc, ValidatingPolicyDoc } from './schema.js';
import { UnsupportedPolicyError } from './unsupported.js';

/**
 * Compiles a ValidatingPolicy into its executable rules: the policy itself and, when it is a
 * Pod-only policy (exactly one resource rule for core v1 pods, no exclusions, no object selector —
 * docs/design/policy-gate.md §Auto-generation for Pod controllers), one variant per controller
 * prefix with rewritten expressions.
 */
export function compileValidatingPolicy(doc: ValidatingPolicyDoc, source?: string): CompiledRule[] {
  const spec = doc.spec;
  const mode = spec.evaluation?.mode ?? 'Kubernetes';
  if (mode !== 'Kubernetes' && mode !== 'JSON') {
    throw new UnsupportedPolicyError(
      `ValidatingPolicy ${doc.metadata.name}: evaluation.mode ${mode} (HTTP/Envoy authorization) is not supported`,
    );
  }
  const actions: Action[] = spec.validationActions?.length ? [...spec.validationActions] : ['Audit'];
  const build = (
    match: MatchResourcesDoc,
    rewrite: (e: string) => string,
    autogen?: CompiledRule['autogen'],
  ) => {
    const named = (list: { name: string; expression: string }[]): NamedProgram[] =>
      list.map((v) => {
        const expression = rewrite(v.expression);
        return { name: v.name, expression, program: compileExpression(expression) };
      });
    const validations: CompiledValidation[] = spec.validations.map((v) => {
      const expression = rewrite(v.expression);
      return {
        expression,
        program: compileExpression(expression),
        ...(v.message ? { message: v.message } : {}),
        ...(v.messageExpression
          ? { messageExpression: compileExpression(rewrite(v.messageExpression)) }
          : {}),
        ...(v.reason ? { reason: v.reason } : {}),
      };
    });
    const rule: CompiledRule = {
      policy: doc.metadata.name,
      policyKind: 'ValidatingPolicy',
      rule: '',
      baseRule: '',
      matches: compileMatchConstraints(match),
      matchConditions: named(spec.matchConditions),
      variables: named(spec.variables),
      validations,
      auditAnnotations: spec.auditAnnotations.map((a) => ({
        key: a.key,
        program: compileExpression(rewrite(a.valueExpression)),
      })),
      actions,
      failurePolicy: spec.failurePolicy ?? 'Fail',
      annotations: doc.metadata.annotations ?? {},
      ...(autogen ? { autogen } : {}),
      ...(source ? { source } : {}),
    };
    return rule;
  };

  // JSON mode (kyverno v1.19.0 cmd/cli/kubectl-kyverno/processor/policy_processor.go routes
  // these to the JSON path only): the payload is `object`, there is nothing to match on.
  if (mode === 'JSON')
    return [{ ...build(spec.matchConstraints, (e) => e), mode: 'JSON', matches: () => true }];
  const rules = [build(spec.matchConstraints, (e) => e)];
  if (!isPodOnly(spec.matchConstraints)) return rules;
  const controllers = resolveControllers(spec.autogen?.podControllers?.controllers);
  for (const prefix of ['template', 'cronjob'] as const) {
    const group = controllers.filter((c) => c.prefix === prefix);
    if (group.length === 0) continue;
    rules.push(
      build(controllerMatch(spec.matchConstraints, group), (e) => rewriteForController(e, prefix), prefix),
    );
  }
  return rules;
}

function isPodOnly(match: MatchResourcesDoc): boolean {
  if (match.resourceRules.length !== 1 || match.excludeResourceRules.length > 0) return false;
  if (match.objectSelector && Object.keys(match.objectSelector).length > 0) return false;
  const [r] = match.resourceRules;
  return (
    r!.apiGroups.length === 1 &&
    r!.apiGroups[0] === '' &&
    r!.apiVersions.length === 1 &&
    r!.apiVersions[0] === 'v1' &&
    r!.resources.length === 1 &&
    r!.resources[0] === 'pods'
  );
}

function controllerMatch(match: MatchResourcesDoc, controllers: Controller[]): MatchResourcesDoc {
  const base = match.resourceRules[0]!;
  return {
    ...match,
    resourceRules: controllers.map((c) => ({
      ...base,
      apiGroups: [c.group],
      apiVersions: ['*'],
      resources: [c.resource],
    })),
  };
}
