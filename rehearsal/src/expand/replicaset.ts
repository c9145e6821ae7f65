import { rec, spec } from './meta.js';
import { podFromTemplate } from './pod-template.js';
import type { ExpansionRule } from './types.js';

/**
 * ReplicaSet → its Pods. The replicas are identical for every check (same labels, spec and
 * owner), so the rehearsal keeps one representative Pod per ReplicaSet, and none when the
 * ReplicaSet is scaled to zero.
 */
export const replicaSetRule: ExpansionRule = {
  kind: 'ReplicaSet',
  group: 'apps',
  controller: 'kube-controller-manager',
  rule: 'kubernetes v1.34.0 pkg/controller/replicaset/replica_set.go manageReplicas; pkg/controller/controller_utils.go GetPodFromTemplate',
  expand(rs) {
    const s = spec(rs);
    if (s.replicas === 0) return [];
    return [podFromTemplate(rs, rec(s.template))];
  },
};
