import { describe, expect, it } from 'vitest';
import { opsSettingsSchema } from '../../environments/sections/operations.js';
import type { K8sObject } from '../../render/types.js';
import { sampleContext } from '../../testing/context.js';
import { migrationJob } from '../app/migration-job.js';
import { databaseObjects } from './database.js';

const prod = opsSettingsSchema.parse({ database: { instances: 3, backups: { enabled: true } } });
const dev = opsSettingsSchema.parse({});
const kinds = (objs: K8sObject[]) => objs.map((o) => `${o.kind}/${o.metadata.name}`);
const byKind = (objs: K8sObject[], kind: string) => objs.find((o) => o.kind === kind)!;

describe('database', () => {
  it('prod: 3 instances, WAL archiving through the Barman plugin, retention, daily backup, PodMonitor', () => {
    const objs = databaseObjects(sampleContext(), prod);
    expect(kinds(objs)).toEqual([
      'ObjectStore/payday-db-store',
      'Cluster/payday-db',
      'ScheduledBackup/payday-db-daily',
      'PodMonitor/payday-db',
    ]);
    const cluster = byKind(objs, 'Cluster').spec as Record<string, unknown>;
    expect(cluster.instances).toBe(3);
    expect(cluster.plugins).toEqual([
      {
        name: 'barman-cloud.cloudnative-pg.io',
        isWALArchiver: true,
        parameters: { barmanObjectName: 'payday-db-store' },
      },
    ]);
    expect(byKind(objs, 'ObjectStore').spec).toMatchObject({
      retentionPolicy: '30d',
      configuration: { destinationPath: 's3://payday-backups/prod', wal: { compression: 'gzip' } },
    });
    const backup = byKind(objs, 'ScheduledBackup').spec as { schedule: string };
    expect(backup).toMatchObject({ cluster: { name: 'payday-db' }, method: 'plugin' });
    expect(backup.schedule.split(' ')).toHaveLength(6);
  });

  it('Argo CD never prunes or deletes the Cluster or its backups store', () => {
    for (const o of databaseObjects(sampleContext(), prod).filter((o) =>
      ['Cluster', 'ObjectStore'].includes(o.kind),
    )) {
      expect(o.metadata.annotations?.['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
    }
  });

  it('manages the app owner and the KEDA reader; the reader password comes from a Secret', () => {
    const cluster = byKind(databaseObjects(sampleContext(), prod), 'Cluster').spec as {
      managed: { roles: Array<Record<string, unknown>> };
      enableSuperuserAccess: boolean;
    };
    expect(cluster.enableSuperuserAccess).toBe(false);
    expect(cluster.managed.roles.map((r) => r.name)).toEqual(['payday', 'keda_reader']);
    expect(cluster.managed.roles[1]).toMatchObject({
      superuser: false,
      passwordSecret: { name: 'payday-db-keda-reader' },
    });
  });

  it('dev: one instance, no backups objects', () => {
    const objs = databaseObjects(sampleContext({ name: 'dev', namespace: 'payday-dev' }), dev);
    expect(kinds(objs)).toEqual(['Cluster/payday-db', 'PodMonitor/payday-db']);
    expect((byKind(objs, 'Cluster').spec as { instances: number; plugins?: unknown }).instances).toBe(1);
    expect((byKind(objs, 'Cluster').spec as { plugins?: unknown }).plugins).toBeUndefined();
  });

  it('preview: one small instance, no backups, no KEDA reader, no namespace', () => {
    const objs = databaseObjects(sampleContext({ preview: true, namespace: undefined }), prod);
    const cluster = byKind(objs, 'Cluster');
    expect(cluster.metadata.namespace).toBeUndefined();
    expect(cluster.spec).toMatchObject({ instances: 1, storage: { size: '1Gi' } });
    expect(kinds(objs)).not.toContain('ScheduledBackup/payday-db-daily');
    const roles = (cluster.spec as { managed: { roles: Array<{ name: string }> } }).managed.roles;
    expect(roles.map((r) => r.name)).toEqual(['payday']);
  });
});

describe('migration PreSync hook', () => {
  const job = migrationJob(sampleContext(), prod)!;
  const pod = (job.spec as { template: { spec: Record<string, any> } }).template.spec;

  it('is a PreSync hook, first in its phase, replaced before each run and removed on success', () => {
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'PreSync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded',
      'argocd.argoproj.io/sync-wave': '-5',
    });
  });

  it('runs the API image (same release) with the database URL from the generated Secret', () => {
    const c = pod.containers[0];
    expect(c.image).toBe(sampleContext().env.release.api?.image);
    expect(c.command).toEqual(['node', '--enable-source-maps', 'apps/db/dist/migrate.mjs']);
    expect(c.env[0]).toEqual({
      name: 'DATABASE_URL',
      valueFrom: { secretKeyRef: { name: 'payday-db-app', key: 'uri' } },
    });
  });

  it('meets the restricted profile and is never selected by the API Service', () => {
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers[0].securityContext).toMatchObject({
      capabilities: { drop: ['ALL'] },
      allowPrivilegeEscalation: false,
    });
    expect(job.metadata.labels?.['app.kubernetes.io/name']).toBe('db-migrate');
  });
});
