/**
 * Where each object goes: `gitops/<env>/<folder>/<kind>-<name>.yaml`, one object per file
 * (docs/design/rendering.md §Layout and headers), so a PR's file list reads as "what changes where".
 */
import type { K8sObject } from './types.js';

/** `Rollout` `api` → `rollout-api.yaml`. Kinds are lower-cased, never pluralised. */
export function fileName(object: K8sObject): string {
  return `${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
}

export function objectPath(environment: string | undefined, folder: string, object: K8sObject): string {
  return [environment, folder, fileName(object)].filter(Boolean).join('/');
}

/**
 * Kinds that are cluster-scoped: a namespace on them is meaningless (and rejected by some
 * tools), so the renderer strips the chart namespace from them.
 */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ClusterPolicy',
  'ValidatingPolicy',
  'ClusterSecretStore',
  'ClusterTriggerAuthentication',
  'ClusterAnalysisTemplate',
]);
