/**
 * Rules the schemas cannot express, checked over one environment's objects:
 *  - names: DNS-1123 subdomain for most kinds; DNS-1123 label for Namespaces; DNS-1035 label for
 *    Services (Kubernetes "Object Names and IDs");
 *  - workloads: a Rollout/Deployment has a selector, and it matches its pod template's labels
 *    (the Rollout CRD does not even require the selector; the controller does, at run time);
 *  - every Service with a selector selects the pods of some workload in the same namespace.
 */
import type { K8sObject, RenderedObject } from '../render/types.js';

export interface RuleProblem {
  object: RenderedObject;
  path: string;
  message: string;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const WORKLOAD_KINDS = new Set(['Rollout', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

function nameProblem(o: K8sObject): string | undefined {
  const name = o.metadata?.name;
  if (typeof name !== 'string' || name === '') return 'metadata.name is required';
  if (o.kind === 'Namespace') {
    return name.length <= 63 && DNS1123_LABEL.test(name)
      ? undefined
      : `invalid name "${name}": a Namespace name must be a DNS-1123 label (lowercase a-z, 0-9, '-', at most 63 characters)`;
  }
  if (o.kind === 'Service') {
    return name.length <= 63 && DNS1035_LABEL.test(name)
      ? undefined
      : `invalid name "${name}": a Service name must be a DNS-1035 label (starts with a letter; lowercase a-z, 0-9, '-'; at most 63 characters)`;
  }
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(name)
    ? undefined
    : `invalid name "${name}": must be a DNS-1123 subdomain (lowercase a-z, 0-9, '-', '.'; at most 253 characters)`;
}

interface Workload {
  object: RenderedObject;
  namespace: string | undefined;
  podLabels: Record<string, string>;
}

function get(o: unknown, ...path: string[]): unknown {
  let cur = o;
  for (const p of path)
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
  return cur;
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function ruleProblems(objects: readonly RenderedObject[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const workloads: Workload[] = [];
  for (const r of objects) {
    const o = r.object;
    const nameIssue = nameProblem(o);
    if (nameIssue) problems.push({ object: r, path: '/metadata/name', message: nameIssue });
    const ns = o.metadata?.namespace;
    if (ns !== undefined && !(ns.length <= 63 && DNS1123_LABEL.test(ns))) {
      problems.push({
        object: r,
        path: '/metadata/namespace',
        message: `invalid namespace "${ns}": must be a DNS-1123 label`,
      });
    }
    if (!WORKLOAD_KINDS.has(o.kind)) continue;
    const podLabels = (get(o, 'spec', 'template', 'metadata', 'labels') ?? {}) as Record<string, string>;
    const selector = get(o, 'spec', 'selector') as
      | { matchLabels?: Record<string, string>; matchExpressions?: unknown[] }
      | undefined;
    const workloadRef = get(o, 'spec', 'workloadRef');
    if (!selector || (!selector.matchLabels && !selector.matchExpressions)) {
      problems.push({
        object: r,
        path: '/spec/selector',
        message: `${o.kind} has no selector (spec.selector.matchLabels is required)`,
      });
    } else if (selector.matchLabels && !workloadRef && !matches(selector.matchLabels, podLabels)) {
      const missing = Object.entries(selector.matchLabels)
        .filter(([k, v]) => podLabels[k] !== v)
        .map(([k, v]) => `${k}=${v}`);
      problems.push({
        object: r,
        path: '/spec/selector/matchLabels',
        message: `selector does not match the pod template labels (missing ${missing.join(', ')})`,
      });
    }
    workloads.push({ object: r, namespace: ns, podLabels });
  }
  for (const r of objects) {
    const o = r.object;
    if (o.kind !== 'Service') continue;
    const selector = get(o, 'spec', 'selector') as Record<string, string> | undefined;
    if (get(o, 'spec', 'type') === 'ExternalName') continue;
    if (!selector || Object.keys(selector).length === 0) {
      problems.push({
        object: r,
        path: '/spec/selector',
        message: 'Service has no selector (it would select no pods of this repository)',
      });
      continue;
    }
    const ns = o.metadata?.namespace;
    if (!workloads.some((w) => w.namespace === ns && matches(selector, w.podLabels))) {
      const wanted = Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      problems.push({
        object: r,
        path: '/spec/selector',
        message: `Service selects no workload in its namespace (selector ${wanted})`,
      });
    }
  }
  return problems;
}
