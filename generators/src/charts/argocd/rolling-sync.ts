/**
 * The order of an environment's Applications (docs/rehearsal.md §Sync plan;
 * docs/design/argo.md §Ordering the Applications of an environment). One ApplicationSet generates every folder of
 * `gitops/<env>/` as a sibling Application, and siblings sync independently; the app folders need
 * the Namespace, Secrets and database Cluster of the `namespace` and `database` folders. A
 * Progressive Sync makes that an order (argo-cd v3.5.1
 * docs/operator-manual/applicationset/Progressive-Syncs.md, "RollingSync"):
 *
 * - each generated Application carries its folder as a label, and `strategy.rollingSync.steps`
 *   select the folders step by step (applicationset/progressivesync/progressive_sync.go
 *   `buildAppDependencyList`: `In`/`NotIn` on the Application's labels; an Application no step
 *   selects is never synced by the controller, so the last step takes every other folder);
 * - a step's Applications are synced only once every Application of the steps before it has the
 *   progressive status Healthy, which needs the Application Synced and Healthy
 *   (`getAppsToSync`, `UpdateApplicationSetApplicationStatus`);
 * - the controller clears `automated` on the generated Applications and triggers their syncs
 *   itself, with the template's retry, sync options and `automated.prune` (`SyncDesiredApplications`,
 *   `syncApplication`), so selfHeal no longer applies to them;
 * - it does any of this only when the ApplicationSet controller runs with progressive syncs enabled
 *   (`cmdParamsConfigMap` below); otherwise the strategy is ignored (applicationset/controllers/
 *   applicationset_controller.go `Reconcile`, `if r.EnableProgressiveSyncs`).
 */

import { PLATFORM } from '../../platform.js';
import type { K8sObject } from '../../render/types.js';
import { moduleSource } from '../factory.js';
import { meta } from '../labels.js';
import { rootWave } from './root-waves.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

/** The label each generated Application carries: its folder under `gitops/<env>/`. */
export const FOLDER_LABEL = 'payday.dev/folder';

/** From the directory generator's parameters (applicationset/generators/git.go `path.basename`). */
export const FOLDER_LABEL_VALUE = '{{.path.basename}}';

/**
 * The steps, first to last: the namespace (Namespace, NetworkPolicies, Secrets), then the database
 * Cluster, then observability, then every other folder (the apps) together.
 */
export const ROLLING_SYNC_STEPS: readonly (readonly string[])[] = [
  ['namespace'],
  ['database'],
  ['observability'],
];

export interface RollingSyncStrategy {
  type: 'RollingSync';
  rollingSync: {
    steps: { matchExpressions: { key: string; operator: 'In' | 'NotIn'; values: string[] }[] }[];
  };
}

/** The listed steps, then one `NotIn` step for every folder they do not name. */
export function rollingSyncStrategy(): RollingSyncStrategy {
  const named = ROLLING_SYNC_STEPS.flat();
  return {
    type: 'RollingSync',
    rollingSync: {
      steps: [
        ...ROLLING_SYNC_STEPS.map((folders) => ({
          matchExpressions: [{ key: FOLDER_LABEL, operator: 'In' as const, values: [...folders] }],
        })),
        { matchExpressions: [{ key: FOLDER_LABEL, operator: 'NotIn' as const, values: named }] },
      ],
    },
  };
}

/** argo-cd v3.5.1 manifests/base/applicationset-controller/argocd-applicationset-controller-deployment.yaml. */
export const PROGRESSIVE_SYNCS_KEY = 'applicationsetcontroller.enable.progressive.syncs';

/**
 * `argocd-cmd-params-cm` enabling progressive syncs. The ApplicationSet controller reads the key
 * into `ARGOCD_APPLICATIONSET_CONTROLLER_ENABLE_PROGRESSIVE_SYNCS` through a `configMapKeyRef`
 * (the deployment above; cmd/argocd-applicationset-controller/commands/applicationset_controller.go
 * `--enable-progressive-syncs`), i.e. only when its pod starts: scripts/cluster/cluster.sh applies
 * this file after installing Argo CD and restarts the controller, before the root Application.
 * The root then keeps it as committed. Server-side apply at the bootstrap keeps the install's own
 * fields of this ConfigMap (manifests/install.yaml ships it empty).
 */
export function cmdParamsConfigMap(): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(
      'argocd-cmd-params-cm',
      PLATFORM.argocdNamespace,
      { 'app.kubernetes.io/name': 'argocd-cmd-params-cm', 'app.kubernetes.io/part-of': 'argocd' },
      rootWave('settings'),
    ),
    data: { [PROGRESSIVE_SYNCS_KEY]: 'true' },
  };
}
