import { groupOf } from '../expand/meta.js';
import type { K8sObject } from '../model.js';

/** Kinds that live outside any namespace (Kubernetes 1.34 API discovery, plus the pinned CRDs). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingPolicy',
  'ClusterPolicy',
  'ClusterSecretStore',
  'ClusterTriggerAuthentication',
  'ClusterAnalysisTemplate',
]);

export const isNamespaced = (o: Pick<K8sObject, 'kind'>): boolean => !CLUSTER_SCOPED.has(o.kind);

/**
 * An object as an Application applies it: a namespaced object without a namespace goes to the
 * Application's destination namespace (argo-cd v3.5.1 controller/state.go, which sets the
 * destination namespace on namespaced targets), and Argo CD's default annotation tracking
 * writes `argocd.argoproj.io/tracking-id: <app>:<group>/<kind>:<namespace>/<name>`
 * (util/argo/resource_tracking.go).
 */
export function place(object: K8sObject, app: string, destination: string): K8sObject {
  const namespace = isNamespaced(object) ? (object.metadata.namespace ?? destination) : undefined;
  const { namespace: _drop, ...meta } = object.metadata;
  return {
    ...object,
    metadata: {
      ...meta,
      ...(namespace ? { namespace } : {}),
      annotations: {
        ...object.metadata.annotations,
        'argocd.argoproj.io/tracking-id': `${app}:${groupOf(object.apiVersion)}/${object.kind}:${namespace ?? ''}/${object.metadata.name}`,
      },
    },
  };
}

/** The Application that applied an object, from its tracking annotation. */
export function trackedBy(object: K8sObject): string | undefined {
  return object.metadata.annotations?.['argocd.argoproj.io/tracking-id']?.split(':')[0];
}
