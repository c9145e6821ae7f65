import { KEDA_QUEUE_DEPTH_SQL } from '@payday/db';
import { describe, expect, it } from 'vitest';
import { opsSettingsSchema } from '../environments/sections/operations.js';
import { sampleContext } from '../testing/context.js';
import { scanForSecrets } from '../validate/secret-scan.js';
import { environmentObjects } from './objects.js';

const inputs = {
  queueDepthQuery: KEDA_QUEUE_DEPTH_SQL,
  hostnames: { api: 'api.payday.example', frontend: 'app.payday.example' },
};
const prodSettings = opsSettingsSchema.parse({ database: { instances: 3, backups: { enabled: true } } });
const kindsOf = (objs: ReturnType<typeof environmentObjects>) =>
  [...new Set(objs.map((o) => o.object.kind))].sort();

describe('ops objects of one environment', () => {
  it('prod: everything, grouped by Application folder', () => {
    const objs = environmentObjects(sampleContext(), prodSettings, inputs);
    expect(kindsOf(objs)).toEqual([
      'AnalysisTemplate',
      'Cluster',
      'ConfigMap',
      'ExternalSecret',
      'HorizontalPodAutoscaler',
      'Ingress',
      'Job',
      'NetworkPolicy',
      'ObjectStore',
      'PodDisruptionBudget',
      'PodMonitor',
      'PrometheusRule',
      'ScaledObject',
      'ScheduledBackup',
      'TriggerAuthentication',
    ]);
    const group = (kind: string, name: string) =>
      objs.find((o) => o.object.kind === kind && o.object.metadata.name === name)?.group;
    expect(group('Job', 'db-migrate')).toBe('api');
    expect(group('ScaledObject', 'worker')).toBe('worker');
    expect(group('AnalysisTemplate', 'frontend-success-rate')).toBe('frontend');
    expect(group('Cluster', 'payday-db')).toBe('database');
    expect(group('PrometheusRule', 'payday-alerts')).toBe('observability');
  });

  it('names are unique per kind (one file per object)', () => {
    const keys = environmentObjects(sampleContext(), prodSettings, inputs).map(
      (o) => `${o.object.kind}/${o.object.metadata.name}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('preview: no namespace anywhere, no autoscalers, analysis, backups, alerts or KEDA', () => {
    const objs = environmentObjects(
      sampleContext({ preview: true, namespace: undefined, name: 'preview' }),
      prodSettings,
      inputs,
    );
    expect(objs.filter((o) => o.object.metadata.namespace !== undefined)).toEqual([]);
    const kinds = kindsOf(objs);
    for (const absent of [
      'AnalysisTemplate',
      'HorizontalPodAutoscaler',
      'ScaledObject',
      'TriggerAuthentication',
      'ScheduledBackup',
      'ObjectStore',
      'PrometheusRule',
      'PodDisruptionBudget',
      'Namespace',
    ]) {
      expect(kinds).not.toContain(absent);
    }
  });

  it('holds no secret values, only references', () => {
    for (const { object } of environmentObjects(sampleContext(), prodSettings, inputs)) {
      expect(scanForSecrets(object), `${object.kind}/${object.metadata.name}`).toEqual([]);
    }
  });
});

describe('secrets by environment', () => {
  const keys = (ctx: ReturnType<typeof sampleContext>) =>
    environmentObjects(ctx, prodSettings, inputs)
      .filter((o) => o.object.kind === 'ExternalSecret')
      .flatMap((o) =>
        (o.object.spec as { data: Array<{ remoteRef: { key: string } }> }).data.map((d) => d.remoteRef.key),
      );

  it('reads payday/<env>/… by default', () => {
    expect(new Set(keys(sampleContext()))).toEqual(
      new Set(['payday/prod/frontend', 'payday/prod/worker', 'payday/prod/database', 'payday/prod/backups']),
    );
  });

  it('previews read payday/preview/… only, never an environment prefix', () => {
    const preview = keys(sampleContext({ preview: true, namespace: undefined }));
    expect(preview.length).toBeGreaterThan(0);
    expect(preview.every((k) => k.startsWith('payday/preview/'))).toBe(true);
  });
});
