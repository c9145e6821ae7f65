import type { DatabaseSettings, OpsSettings } from '../../environments/sections/operations.js';
import type { K8sObject } from '../../render/types.js';
import type { BuilderContext } from '../context.js';
import { moduleSource } from '../factory.js';
import { meta, syncWave } from '../labels.js';
import {
  BACKUP_CREDENTIALS_SECRET,
  BARMAN_PLUGIN,
  DB_CLUSTER,
  DB_NAME,
  DB_OWNER,
  KEDA_ROLE,
  KEDA_ROLE_SECRET,
  OBJECT_STORE,
} from '../names.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

/**
 * CloudNativePG database of one environment (docs/design/argo.md §Database): the Cluster, the Barman Cloud
 * plugin ObjectStore (WAL archiving + base backups, recovery-window retention), a ScheduledBackup
 * and a PodMonitor (`spec.monitoring.enablePodMonitor` is deprecated). Rendered into its own
 * Argo CD Application (`gitops/<env>/database/`) so it syncs before the apps' PreSync migration.
 */

export const DB_SELECTOR = { 'cnpg.io/cluster': DB_CLUSTER } as const;

/**
 * Argo CD must never prune or delete the database, even when the Cluster disappears from git
 * (docs/design/argo.md §Sync waves and hooks).
 */
const PROTECT = { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' };

function backupsOn(ctx: BuilderContext, d: DatabaseSettings): boolean {
  return d.backups.enabled && !ctx.preview;
}

const kedaRole = {
  name: KEDA_ROLE,
  ensure: 'present',
  login: true,
  superuser: false,
  createdb: false,
  createrole: false,
  inherit: false,
  connectionLimit: 4,
  passwordSecret: { name: KEDA_ROLE_SECRET },
  comment: 'KEDA postgresql trigger: queue depth only',
};

export function databaseCluster(ctx: BuilderContext, s: OpsSettings): K8sObject {
  const d = s.database;
  const preview = ctx.preview;
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    // Previews: before the migration Sync hook (wave -1) of the same Application (app/migration-job.ts).
    metadata: meta(DB_CLUSTER, ctx.namespace, ctx.labels, { ...PROTECT, ...syncWave(preview ? -2 : 0) }),
    spec: {
      instances: preview ? 1 : d.instances,
      imageName: d.imageName,
      primaryUpdateStrategy: 'unsupervised',
      enableSuperuserAccess: false,
      storage: {
        size: preview ? '1Gi' : d.storageSize,
        ...(d.storageClass ? { storageClass: d.storageClass } : {}),
      },
      walStorage: {
        size: preview ? '1Gi' : d.walStorageSize,
        ...(d.storageClass ? { storageClass: d.storageClass } : {}),
      },
      resources: { requests: { cpu: d.cpu, memory: d.memory }, limits: { memory: d.memory } },
      // App credentials come from the generated `payday-db-app` Secret (never rendered).
      bootstrap: { initdb: { database: DB_NAME, owner: DB_OWNER } },
      managed: {
        roles: [
          // The owner: pinned attributes only (its password stays the generated one).
          {
            name: DB_OWNER,
            ensure: 'present',
            login: true,
            superuser: false,
            createdb: false,
            createrole: false,
            comment: 'payday application (api, worker, migrations)',
          },
          // KEDA's reader: login only; the migrations grant it SELECT on the jobs table, nothing else.
          // Previews have no KEDA (one plain replica), so no reader either.
          ...(preview ? [] : [kedaRole]),
        ],
      },
      affinity: {
        enablePodAntiAffinity: true,
        topologyKey: s.availability.topologySpread ? 'topology.kubernetes.io/zone' : 'kubernetes.io/hostname',
      },
      ...(backupsOn(ctx, d)
        ? {
            plugins: [
              { name: BARMAN_PLUGIN, isWALArchiver: true, parameters: { barmanObjectName: OBJECT_STORE } },
            ],
          }
        : {}),
    },
  };
}

/** Barman Cloud plugin ObjectStore: where WAL and base backups go, and for how long they are kept. */
export function objectStore(ctx: BuilderContext, d: DatabaseSettings): K8sObject | undefined {
  if (!backupsOn(ctx, d)) return undefined;
  return {
    apiVersion: 'barmancloud.cnpg.io/v1',
    kind: 'ObjectStore',
    metadata: meta(OBJECT_STORE, ctx.namespace, ctx.labels, { ...PROTECT, ...syncWave(-1) }),
    spec: {
      configuration: {
        destinationPath: `${d.backups.destinationPath.replace(/\/$/, '')}/${ctx.env.name}`,
        ...(d.backups.endpointURL ? { endpointURL: d.backups.endpointURL } : {}),
        s3Credentials: {
          accessKeyId: { name: BACKUP_CREDENTIALS_SECRET, key: 'ACCESS_KEY_ID' },
          secretAccessKey: { name: BACKUP_CREDENTIALS_SECRET, key: 'ACCESS_SECRET_KEY' },
        },
        wal: { compression: 'gzip', maxParallel: 4 },
        data: { compression: 'gzip' },
      },
      retentionPolicy: d.backups.retention,
    },
  };
}

/** Daily base backup through the plugin (six-field cron with seconds; `cluster.name` is immutable). */
export function scheduledBackup(ctx: BuilderContext, d: DatabaseSettings): K8sObject | undefined {
  if (!backupsOn(ctx, d)) return undefined;
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'ScheduledBackup',
    metadata: meta(`${DB_CLUSTER}-daily`, ctx.namespace, ctx.labels, syncWave(1)),
    spec: {
      schedule: d.backups.schedule,
      cluster: { name: DB_CLUSTER },
      method: 'plugin',
      pluginConfiguration: { name: BARMAN_PLUGIN },
      backupOwnerReference: 'self',
      immediate: true,
    },
  };
}

/** PodMonitor for the instances' exporter (port `metrics`, 9187). */
export function databasePodMonitor(ctx: BuilderContext, s: OpsSettings): K8sObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: meta(DB_CLUSTER, ctx.namespace, { ...ctx.labels, ...s.monitoring.selectorLabels }, syncWave(1)),
    spec: {
      selector: { matchLabels: { ...DB_SELECTOR } },
      podMetricsEndpoints: [{ port: 'metrics' }],
    },
  };
}

/** Everything of the database Application, in sync-wave order. */
export function databaseObjects(ctx: BuilderContext, s: OpsSettings): K8sObject[] {
  return [
    objectStore(ctx, s.database),
    databaseCluster(ctx, s),
    scheduledBackup(ctx, s.database),
    databasePodMonitor(ctx, s),
  ].filter((o): o is K8sObject => o !== undefined);
}
