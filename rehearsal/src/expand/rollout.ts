import type { K8sObject } from '../model.js';
import { podTemplateHash } from './hash.js';
import { controllerRef, type Labels, merge, rec, spec } from './meta.js';
import { selectorWith } from './pod-template.js';
import { ExpansionError, type ExpansionRule } from './types.js';

/** argo-rollouts v1.9.1 pkg/apis/rollouts/v1alpha1/types.go DefaultRolloutUniqueLabelKey. */
export const ROLLOUT_HASH_LABEL = 'rollouts-pod-template-hash';

/** utils/annotations/annotations.go annotationsToSkip. */
const SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'rollout.argoproj.io/revision',
  'rollout.argoproj.io/revision-history',
  'rollout.argoproj.io/desired-replicas',
  'notified.notifications.argoproj.io',
]);

/**
 * Rollout → its first ReplicaSet (a fresh Rollout has no stable ReplicaSet, so this one becomes
 * stable at full scale): `<name>-<hash>`, labels = the pod template's labels plus
 * `rollouts-pod-template-hash` (not the Rollout's own labels), the Rollout's annotations except
 * the skipped ones, and the stable metadata (canary `stableMetadata`, blue/green
 * `activeMetadata`) merged into the pod template. A `workloadRef` reads the referenced
 * Deployment's template.
 */
export const rolloutRule: ExpansionRule = {
  kind: 'Rollout',
  group: 'argoproj.io',
  controller: 'argo-rollouts',
  rule: 'argo-rollouts v1.9.1 rollout/sync.go createDesiredReplicaSet; utils/annotations/annotations.go SetNewReplicaSetAnnotations; utils/replicaset/canary.go SyncReplicaSetEphemeralPodMetadata',
  expand(r, ctx) {
    const s = spec(r);
    let source = s.template;
    const ref = rec(s.workloadRef);
    if (ref.name) {
      const target = ctx.find(String(ref.kind ?? 'Deployment'), r.metadata.namespace, String(ref.name));
      if (!target)
        throw new ExpansionError(
          `workloadRef ${String(ref.kind)}/${String(ref.name)} is not in the scenario`,
        );
      source = spec(target).template;
    }
    if (!source) throw new ExpansionError('Rollout has neither spec.template nor spec.workloadRef');
    // Only the metadata changes: the spec is shared with the source (expand/meta.ts `clone`).
    const template = { ...rec(source) };
    const hash = podTemplateHash(template);
    const meta = rec(template.metadata);
    const strategy = rec(s.strategy);
    const ephemeral = rec(rec(strategy.canary).stableMetadata ?? rec(strategy.blueGreen).activeMetadata);
    const labels: Labels = { ...(meta.labels as Labels | undefined), [ROLLOUT_HASH_LABEL]: hash };
    template.metadata = {
      ...meta,
      labels: merge(labels, ephemeral.labels as Labels | undefined),
      ...(meta.annotations || ephemeral.annotations
        ? {
            annotations: merge(
              meta.annotations as Labels | undefined,
              ephemeral.annotations as Labels | undefined,
            ),
          }
        : {}),
    };
    const annotations: Labels = {};
    for (const [k, v] of Object.entries(r.metadata.annotations ?? {})) if (!SKIP.has(k)) annotations[k] = v;
    annotations['rollout.argoproj.io/revision'] = '1';
    const replicas = typeof s.replicas === 'number' ? s.replicas : 1;
    const rs: K8sObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${r.metadata.name}-${hash}`,
        ...(r.metadata.namespace ? { namespace: r.metadata.namespace } : {}),
        labels,
        annotations,
        ownerReferences: [controllerRef(r)],
      },
      spec: {
        replicas,
        ...(s.minReadySeconds !== undefined ? { minReadySeconds: s.minReadySeconds } : {}),
        selector: selectorWith(s.selector, ROLLOUT_HASH_LABEL, hash),
        template,
      },
    };
    return [rs];
  },
};
