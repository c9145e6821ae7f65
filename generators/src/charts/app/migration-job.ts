import type { OpsSettings } from '../../environments/sections/operations.js';
import type { K8sObject } from '../../render/types.js';
import type { BuilderContext } from '../context.js';
import { moduleSource } from '../factory.js';
import { meta } from '../labels.js';
import { DB_APP_SECRET, MIGRATION_JOB } from '../names.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

/** Labels of the migration pods: distinct from the API's, so no Service or PDB ever selects them. */
export const MIGRATION_LABELS = {
  'app.kubernetes.io/name': MIGRATION_JOB,
  'app.kubernetes.io/component': 'migration',
  'app.kubernetes.io/part-of': 'payday',
} as const;

/** Owner label the require-labels policy asks of workloads, unless the common labels carry one. */
const OWNER = { 'payday.dev/owner': 'payments-platform' } as const;

/**
 * Pod and container security for the PSS `restricted` profile
 * (docs/design/argo.md §Availability and isolation).
 */
export const RESTRICTED_POD_SECURITY = {
  runAsNonRoot: true,
  runAsUser: 10001,
  runAsGroup: 10001,
  seccompProfile: { type: 'RuntimeDefault' },
} as const;
export const RESTRICTED_CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
} as const;

/**
 * The schema migration as an Argo CD hook Job in the API's Application
 * (docs/design/argo.md §Sync waves and hooks; docs/rehearsal.md, "Sync plan"). It runs the API
 * image, so schema and code travel in one release. Migrations must be expand/contract: during a canary the old and the new
 * API run side by side.
 *
 * - `hook-delete-policy: BeforeHookCreation,HookSucceeded`: a successful run is removed; a failed one
 *   stays for `kubectl logs` (runbooks/canary-analysis-failed.md) until the next sync replaces it,
 *   and `ttlSecondsAfterFinished` clears it after a day in any case.
 * - Environments: `PreSync`, wave -5, before any Sync-phase object (ordering is phase → wave → kind
 *   → name, argo-cd v3.5.1 gitops-engine/pkg/sync/sync_tasks.go). The database is a separate
 *   Application that Argo CD does not order against this one: on a brand-new environment the Job
 *   waits for the `-app` Secret and its retries (backoffLimit) and Argo CD's sync retry cover the
 *   window where the Cluster is not ready (the rehearsal reports this as a warning).
 * - Previews hold the database in the same Application, applied in the Sync phase: the Job is a
 *   `Sync` hook in wave -1, after the Cluster (wave -2, whose health Argo CD waits for:
 *   resource_customizations/postgresql.cnpg.io/Cluster/health.lua) and before the Deployments
 *   (wave 0). A PreSync hook there would run before the Cluster and its Secret exist.
 */
export const migrationPlacement = (preview: boolean): Record<string, string> => ({
  'argocd.argoproj.io/hook': preview ? 'Sync' : 'PreSync',
  'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded',
  'argocd.argoproj.io/sync-wave': preview ? '-1' : '-5',
});

/**
 * Where the migration's NetworkPolicy goes: under the namespace's default deny, the Job reaches
 * the database only once it exists. In environments that means a PreSync hook one wave before the
 * Job (re-created at each sync, never deleted on success); in previews the Sync-phase policy
 * (wave -2) already precedes the Job.
 */
export const migrationAllowancePlacement = (preview: boolean): Record<string, string> | undefined =>
  preview
    ? undefined
    : {
        'argocd.argoproj.io/hook': 'PreSync',
        'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
        'argocd.argoproj.io/sync-wave': '-6',
      };

export function migrationJob(ctx: BuilderContext, s: OpsSettings): K8sObject | undefined {
  if (!ctx.env.release.api?.image) return undefined;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta(
      MIGRATION_JOB,
      ctx.namespace,
      { ...OWNER, ...ctx.labels, ...MIGRATION_LABELS },
      migrationPlacement(ctx.preview),
    ),
    spec: {
      backoffLimit: 4,
      activeDeadlineSeconds: 900,
      ttlSecondsAfterFinished: 86400,
      template: {
        metadata: { labels: { ...ctx.labels, ...MIGRATION_LABELS } },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          securityContext: RESTRICTED_POD_SECURITY,
          containers: [
            {
              name: 'migrate',
              image: ctx.env.release.api?.image,
              imagePullPolicy: 'IfNotPresent',
              command: s.database.migrationCommand,
              env: [
                { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: DB_APP_SECRET, key: 'uri' } } },
                // npm and node write caches under HOME; the root filesystem is read-only.
                { name: 'HOME', value: '/tmp' },
              ],
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { cpu: '500m', memory: '256Mi' },
              },
              securityContext: RESTRICTED_CONTAINER_SECURITY,
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
        },
      },
    },
  };
}
