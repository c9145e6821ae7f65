import { matchesLabelSelector } from '../kube/label-selector.js';
import { wildcardMatch } from '../kube/wildcard.js';
import type { MatchBlockDoc, ResourceFilterDoc } from '../policy/schema.js';
import type { Admission, EvalEnvironment, Matcher } from './types.js';

type Block = NonNullable<MatchBlockDoc['any']>[number];

/**
 * ClusterPolicy/Policy `match` and `exclude` (docs/design/policy-gate.md §Match and exclude).
 * Offline there is no user info, so user constraints are ignored in `match` blocks and never
 * satisfied in `exclude`.
 */
export function compileMatchExclude(
  match: MatchBlockDoc,
  exclude: MatchBlockDoc | null | undefined,
): Matcher {
  return (admission, env) => {
    if (!matchBlock(match, admission, env, 'match')) return false;
    if (exclude && hasCriteria(exclude) && matchBlock(exclude, admission, env, 'exclude')) return false;
    return true;
  };
}

function hasCriteria(block: MatchBlockDoc): boolean {
  return Boolean(
    block.any?.length ||
      block.all?.length ||
      block.resources ||
      block.subjects ||
      block.roles ||
      block.clusterRoles,
  );
}

function matchBlock(
  block: MatchBlockDoc,
  a: Admission,
  env: EvalEnvironment,
  mode: 'match' | 'exclude',
): boolean {
  if (block.any?.length) return block.any.some((b) => filterBlock(b, a, env, mode));
  if (block.all?.length) return block.all.every((b) => filterBlock(b, a, env, mode));
  return filterBlock(block, a, env, mode);
}

function filterBlock(block: Block, a: Admission, env: EvalEnvironment, mode: 'match' | 'exclude'): boolean {
  const hasUser = Boolean(block.subjects?.length || block.roles?.length || block.clusterRoles?.length);
  if (mode === 'exclude' && hasUser) return false;
  if (!block.resources) return mode === 'match' ? hasUser : false;
  return resourceFilter(block.resources, a, env);
}

function resourceFilter(f: ResourceFilterDoc, a: Admission, env: EvalEnvironment): boolean {
  const { info, resource, operation } = a;
  const meta = resource.metadata;
  const isNamespace = info.kind === 'Namespace' && info.group === '';
  if (f.kinds?.length && !f.kinds.some((k) => kindMatches(k, info.group, info.version, info.kind)))
    return false;
  const names = [...(f.names ?? []), ...(f.name ? [f.name] : [])];
  const name = meta.name ?? meta.generateName ?? '';
  if (names.length && !names.some((n) => wildcardMatch(n, name))) return false;
  if (f.namespaces?.length) {
    const ns = isNamespace ? (meta.name ?? '') : (meta.namespace ?? '');
    if (!f.namespaces.some((n) => wildcardMatch(n, ns))) return false;
  }
  if (f.annotations && Object.keys(f.annotations).length) {
    const ann = Object.entries(meta.annotations ?? {});
    const ok = Object.entries(f.annotations).every(([k, v]) =>
      ann.some(([ak, av]) => wildcardMatch(k, ak) && wildcardMatch(v, av)),
    );
    if (!ok) return false;
  }
  if (f.selector && !wildcardSelector(f.selector, meta.labels ?? {})) return false;
  if (f.namespaceSelector) {
    if (isNamespace) return false;
    if (!matchesLabelSelector(f.namespaceSelector, env.namespaceLabels(meta.namespace ?? 'default')))
      return false;
  }
  if (f.operations?.length && !f.operations.some((o) => o === operation)) return false;
  return true;
}

/**
 * `Kind`, `Version/Kind`, `Group/Version/Kind`, each part wildcard-matched
 * (docs/design/policy-gate.md §Match and exclude).
 */
export function kindMatches(spec: string, group: string, version: string, kind: string): boolean {
  const parts = spec.split('/');
  const k = parts.at(-1)!.split('.')[0]!;
  if (!wildcardMatch(k, kind)) return false;
  if (parts.length === 2) return wildcardMatch(parts[0]!, version);
  if (parts.length >= 3) return wildcardMatch(parts[0]!, group) && wildcardMatch(parts[1]!, version);
  return true;
}

/**
 * matchLabels may contain wildcards, expanded against the resource's labels
 * (docs/design/policy-gate.md §Match and exclude).
 */
function wildcardSelector(
  selector: NonNullable<ResourceFilterDoc['selector']>,
  labels: Record<string, string>,
): boolean {
  const expanded: Record<string, string> = {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (!k.includes('*') && !k.includes('?') && !v.includes('*') && !v.includes('?')) {
      expanded[k] = v;
      continue;
    }
    const hit = Object.entries(labels).find(([lk, lv]) => wildcardMatch(k, lk) && wildcardMatch(v, lv));
    if (!hit) return false;
    expanded[hit[0]] = hit[1];
  }
  return matchesLabelSelector(
    { matchLabels: expanded, matchExpressions: selector.matchExpressions ?? null },
    labels,
  );
}
