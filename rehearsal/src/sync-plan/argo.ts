/**
 * How Argo CD v3.5.1 orders the objects of one sync, read from its in-tree gitops-engine
 * (go.mod replaces github.com/argoproj/argo-cd/gitops-engine with ./gitops-engine):
 *
 * - gitops-engine/pkg/sync/sync_tasks.go `syncTasks.Less`: phase (PreSync, Sync, PostSync,
 *   SyncFail), then wave, then kind (`kindOrder`, custom resources last), then name.
 * - gitops-engine/pkg/sync/syncwaves/waves.go: `argocd.argoproj.io/sync-wave`, default 0.
 * - gitops-engine/pkg/sync/hook/hook.go, common/types.go: `argocd.argoproj.io/hook` names the
 *   phase of a hook; `Skip` is never applied; `argocd.argoproj.io/hook-delete-policy`
 *   (HookSucceeded, HookFailed, BeforeHookCreation, the default: hook/delete_policy.go).
 * - gitops-engine/pkg/sync/sync_context.go `Sync`: one `kubectl apply --dry-run` of every task
 *   before the first is applied; then one phase and wave at a time, waiting for the "healthy
 *   state of" resources and the "completion of hook"s before the next (`setRunningPhase`).
 */
import type { K8sObject } from '../model.js';

export type Phase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';

/** gitops-engine/pkg/sync/sync_tasks.go `syncPhaseOrder`. */
export const PHASE_ORDER: Record<Phase, number> = { PreSync: -1, Sync: 0, PostSync: 1, SyncFail: 2 };

/** gitops-engine/pkg/sync/sync_tasks.go `kindOrder` (from Helm's kind sorter), in order. */
const KINDS = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

/** Negative for the listed kinds, 0 (last) for everything else, as upstream. */
const KIND_ORDER = new Map(KINDS.map((kind, i) => [kind, i - KINDS.length]));
export const kindOrder = (kind: string): number => KIND_ORDER.get(kind) ?? 0;

const ANNOTATION_HOOK = 'argocd.argoproj.io/hook';
const ANNOTATION_DELETE = 'argocd.argoproj.io/hook-delete-policy';
const ANNOTATION_WAVE = 'argocd.argoproj.io/sync-wave';
const ANNOTATION_OPTIONS = 'argocd.argoproj.io/sync-options';

export interface Placement {
  phase: Phase;
  wave: number;
  hook: boolean;
  /** Hook deletion policies; BeforeHookCreation when a hook names none. */
  deletePolicies: string[];
}

export class PlanError extends Error {}

const list = (value: string | undefined): string[] =>
  // Most objects carry none of these annotations: no split for them.
  value
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

/** Where Argo CD places an object in its sync, or `undefined` for a `Skip` hook. */
export const placement = (o: K8sObject): Placement | undefined => {
  const annotations = o.metadata.annotations ?? {};
  const raw = annotations[ANNOTATION_WAVE];
  const wave = raw === undefined ? 0 : Number(raw);
  if (!Number.isInteger(wave)) {
    throw new PlanError(`${o.kind}/${o.metadata.name}: ${ANNOTATION_WAVE} "${raw}" is not an integer`);
  }
  const hooks = list(annotations[ANNOTATION_HOOK]);
  if (hooks.length === 0) return { phase: 'Sync', wave, hook: false, deletePolicies: [] };
  if (hooks.includes('Skip')) return undefined;
  const phase = hooks.find((h): h is Phase => h in PHASE_ORDER);
  if (!phase) {
    // PreDelete/PostDelete hooks run only when the Application is deleted.
    return undefined;
  }
  const policies = list(annotations[ANNOTATION_DELETE]);
  return {
    phase,
    wave,
    hook: true,
    deletePolicies: policies.length ? policies : ['BeforeHookCreation'],
  };
};

/** A `key=value` sync option on the object (gitops-engine resource.HasAnnotationOption). */
export const hasSyncOption = (o: K8sObject, option: string): boolean =>
  list(o.metadata.annotations?.[ANNOTATION_OPTIONS]).includes(option);

export const SKIP_DRY_RUN = 'SkipDryRunOnMissingResource=true';

/**
 * API groups the API server serves without a CRD (Kubernetes 1.34). Anything else is a custom
 * resource whose dry-run needs its CRD (sync_context.go `getResourceCommand` path: a missing
 * kind is NotFound and fails the dry-run unless skipped).
 */
const BUILT_IN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'apiextensions.k8s.io',
  'admissionregistration.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'node.k8s.io',
  'certificates.k8s.io',
  'apiregistration.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'resource.k8s.io',
  'events.k8s.io',
]);

export const groupOf = (apiVersion: string): string =>
  apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';

export const isCustomResource = (o: Pick<K8sObject, 'apiVersion'>): boolean =>
  !BUILT_IN_GROUPS.has(groupOf(o.apiVersion));

/**
 * Whether the argocd-cm ConfigMap restores a health check for argoproj.io/Application. Argo CD
 * dropped it in 1.8 (argo-cd v3.5.1 docs/operator-manual/health.md, "Argo CD App";
 * resource_customizations/argoproj.io/Application has no health.lua), so without it a parent
 * Application's waves never wait for a child Application to be synced and healthy.
 */
export const restoresApplicationHealth = (o: K8sObject): boolean => {
  if (o.kind !== 'ConfigMap' || o.metadata.name !== 'argocd-cm') return false;
  const data = (o.data ?? {}) as Record<string, string>;
  if (data['resource.customizations.health.argoproj.io_Application']) return true;
  const all = data['resource.customizations'] ?? '';
  return /argoproj\.io\/Application:\s*\n\s+health\.lua/.test(all);
};
