import type { K8sObject } from '../model.js';
import { podTemplateHash } from './hash.js';
import { controllerRef, type Labels, rec, spec } from './meta.js';
import { selectorWith } from './pod-template.js';
import type { ExpansionRule } from './types.js';

/** Annotations a Deployment never copies to its ReplicaSets (deployment/util/deployment_util.go skipCopyAnnotation). */
const SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'kubernetes.io/change-cause',
]);

/**
 * Deployment → its first ReplicaSet: `<name>-<pod-template-hash>`, the template's labels plus
 * `pod-template-hash` (on the ReplicaSet, its selector and its pod template), the Deployment's
 * annotations except the ones above, and the revision/replica annotations.
 */
export const deploymentRule: ExpansionRule = {
  kind: 'Deployment',
  group: 'apps',
  controller: 'kube-controller-manager',
  rule: 'kubernetes v1.34.0 pkg/controller/deployment/sync.go getNewReplicaSet; pkg/controller/deployment/util/deployment_util.go SetNewReplicaSetAnnotations',
  expand(d) {
    const s = spec(d);
    // Only the metadata changes: the spec is shared with the Deployment's (expand/meta.ts `clone`).
    const template = { ...rec(s.template) };
    const hash = podTemplateHash(template);
    const labels: Labels = {
      ...(rec(rec(template).metadata).labels as Labels | undefined),
      'pod-template-hash': hash,
    };
    template.metadata = { ...rec(template.metadata), labels };
    const replicas = typeof s.replicas === 'number' ? s.replicas : 1;
    const annotations: Labels = {};
    for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!SKIP.has(k)) annotations[k] = v;
    Object.assign(annotations, {
      'deployment.kubernetes.io/desired-replicas': String(replicas),
      'deployment.kubernetes.io/max-replicas': String(replicas + maxSurge(s, replicas)),
      'deployment.kubernetes.io/revision': '1',
    });
    const rs: K8sObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        ...(d.metadata.namespace ? { namespace: d.metadata.namespace } : {}),
        labels,
        annotations,
        ownerReferences: [controllerRef(d)],
      },
      spec: {
        replicas,
        ...(s.minReadySeconds !== undefined ? { minReadySeconds: s.minReadySeconds } : {}),
        selector: selectorWith(s.selector, 'pod-template-hash', hash),
        template,
      },
    };
    return [rs];
  },
};

/** maxSurge as a count (default 25%, rounded up: deployment_util.go ResolveFenceposts). */
function maxSurge(s: Record<string, unknown>, replicas: number): number {
  const ru = rec(rec(s.strategy).rollingUpdate);
  if (rec(s.strategy).type === 'Recreate') return 0;
  const v = ru.maxSurge ?? '25%';
  if (typeof v === 'number') return v;
  const pct = /^(\d+)%$/.exec(String(v));
  return pct ? Math.ceil((replicas * Number(pct[1])) / 100) : 0;
}
