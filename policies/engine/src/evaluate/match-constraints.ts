import { matchesLabelSelector } from '../kube/label-selector.js';
import type { MatchResourcesDoc, ResourceRuleDoc } from '../policy/schema.js';
import type { Admission, EvalEnvironment, Matcher } from './types.js';

/**
 * ValidatingPolicy `matchConstraints` (Kubernetes MatchResources semantics,
 * https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/#matching-requests-matchconstraints):
 * the request matches when some resourceRule matches, no excludeResourceRule matches, and both
 * selectors match. namespaceSelector: a Namespace object is judged by its own labels, other
 * cluster-scoped objects are never excluded by it, namespaced objects by their namespace's labels
 * (resolved from the rendered Namespace objects; an unrendered namespace has no labels).
 */
export function compileMatchConstraints(
  match: MatchResourcesDoc,
  options: { emptyRulesMatchAll?: boolean } = {},
): Matcher {
  // Kyverno's matcher for ValidatingAdmissionPolicies and their bindings treats an empty
  // resourceRules list as "every resource" (kyverno v1.19.0 pkg/cel/matching/matcher.go).
  const all = options.emptyRulesMatchAll === true && match.resourceRules.length === 0;
  // Runs for every (rule, object) pair: loops, not closures, so a miss allocates nothing.
  const matcher: Matcher = (admission, env) => {
    if (!all && !anyRuleMatches(match.resourceRules, admission)) return false;
    if (anyRuleMatches(match.excludeResourceRules, admission)) return false;
    if (!namespaceSelectorMatches(match, admission, env)) return false;
    for (const o of [admission.object, admission.oldObject]) {
      if (o !== null && matchesLabelSelector(match.objectSelector, o.metadata.labels ?? {})) return true;
    }
    return false;
  };
  if (!all) {
    const resources = new Set(match.resourceRules.flatMap((r) => r.resources));
    if (!resources.has('*') && !resources.has('*/*')) MATCHABLE.set(matcher, resources);
  }
  return matcher;
}

/**
 * The resources a compiled matcher can match at all: its resourceRules name them and no
 * wildcard. The matcher's first test is that a resourceRule names the request's resource, so a
 * resource outside this set never matches; callers skip the matcher for it.
 */
const MATCHABLE = new WeakMap<Matcher, ReadonlySet<string>>();

/** See MATCHABLE; `undefined` when the matcher may match any resource (or is not one of ours). */
export const matchableResources = (matcher: Matcher): ReadonlySet<string> | undefined =>
  MATCHABLE.get(matcher);

function anyRuleMatches(rules: readonly ResourceRuleDoc[], admission: Admission): boolean {
  for (const r of rules) if (ruleMatches(r, admission)) return true;
  return false;
}

function namespaceSelectorMatches(
  match: MatchResourcesDoc,
  admission: Admission,
  env: EvalEnvironment,
): boolean {
  if (!match.namespaceSelector) return true;
  const { info, resource } = admission;
  if (info.kind === 'Namespace' && info.group === '') {
    return matchesLabelSelector(match.namespaceSelector, resource.metadata.labels ?? {});
  }
  if (!info.namespaced) return true;
  return matchesLabelSelector(
    match.namespaceSelector,
    env.namespaceLabels(resource.metadata.namespace ?? 'default'),
  );
}

/** Module level, not a closure per call: tsx names every nested function on each call. */
function hit(list: string[], value: string): boolean {
  return list.includes('*') || list.includes(value);
}

export function ruleMatches(rule: ResourceRuleDoc, admission: Admission): boolean {
  const { info, operation } = admission;
  // Every condition must hold; the resource comes first because it rules out most pairs.
  if (
    !rule.resources.includes(info.resource) &&
    !rule.resources.includes('*') &&
    !rule.resources.includes('*/*')
  )
    return false;
  if (!hit(rule.apiGroups, info.group) || !hit(rule.apiVersions, info.version)) return false;
  if (!rule.operations.includes('*') && !rule.operations.includes(operation)) return false;
  if (rule.scope === 'Cluster' && info.namespaced) return false;
  if (rule.scope === 'Namespaced' && !info.namespaced) return false;
  if (rule.resourceNames?.length && !rule.resourceNames.includes(admission.resource.metadata.name ?? ''))
    return false;
  return true;
}
