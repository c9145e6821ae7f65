import type { K8sObject } from '../model.js';
import { podTemplateHash } from './hash.js';
import { clone, type Labels, rec, spec } from './meta.js';
import { podFromTemplate } from './pod-template.js';
import type { ExpansionRule } from './types.js';

/**
 * StatefulSet → its first Pod `<name>-0` (the others differ only by ordinal) with the
 * `controller-revision-hash`, `statefulset.kubernetes.io/pod-name` and `apps.kubernetes.io/pod-index`
 * labels, and one PersistentVolumeClaim `<template>-<name>-0` per volumeClaimTemplate.
 */
export const statefulSetRule: ExpansionRule = {
  kind: 'StatefulSet',
  group: 'apps',
  controller: 'kube-controller-manager',
  rule: 'kubernetes v1.34.0 pkg/controller/statefulset/stateful_set_utils.go newVersionedStatefulSetPod, getPersistentVolumeClaims',
  expand(sts) {
    const s = spec(sts);
    const name = `${sts.metadata.name}-0`;
    const revision = `${sts.metadata.name}-${podTemplateHash(s.template)}`;
    const pod = podFromTemplate(sts, s.template, {
      name,
      labels: {
        'controller-revision-hash': revision,
        'statefulset.kubernetes.io/pod-name': name,
        'apps.kubernetes.io/pod-index': '0',
      },
    });
    const claims: K8sObject[] = ((s.volumeClaimTemplates as unknown[]) ?? []).map((t) => {
      const c = clone(rec(t));
      const meta = rec(c.metadata);
      return {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          name: `${String(meta.name)}-${name}`,
          ...(sts.metadata.namespace ? { namespace: sts.metadata.namespace } : {}),
          labels: { ...(meta.labels as Labels | undefined), ...(rec(rec(s.selector).matchLabels) as Labels) },
        },
        spec: rec(c.spec),
      };
    });
    return [pod, ...claims];
  },
};

/**
 * DaemonSet → one representative Pod (one per node in a cluster; nodes are unknown offline)
 * with the `controller-revision-hash` and `pod-template-generation` labels.
 */
export const daemonSetRule: ExpansionRule = {
  kind: 'DaemonSet',
  group: 'apps',
  controller: 'kube-controller-manager',
  rule: 'kubernetes v1.34.0 pkg/controller/daemon/daemon_controller.go syncNodes; pkg/controller/daemon/util/daemonset_util.go CreatePodTemplate',
  expand(ds) {
    const s = spec(ds);
    return [
      podFromTemplate(ds, s.template, {
        labels: { 'controller-revision-hash': podTemplateHash(s.template), 'pod-template-generation': '1' },
      }),
    ];
  },
};
