import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultOpsSettings } from '../../environments/sections/operations.js';
import {
  platformApplications,
  platformComponents,
  platformSecretsApplication,
  policiesApplication,
} from './platform.js';
import { applicationHealthConfigMap, ROOT_WAVES } from './root-waves.js';

/**
 * Release tag per CRD folder, from the origins the schema bundle records
 * (`generators/schemas/index.json`: `owner/repo@tag:path` per `crds/<folder>/<file>`). A folder
 * can hold CRDs of two repositories (cloudnative-pg/: the operator and its Barman plugin); the
 * one named like the folder is the chart's.
 */
function crdTags(): Map<string, string> {
  const index = JSON.parse(readFileSync(new URL('../../../schemas/index.json', import.meta.url), 'utf8')) as {
    sources: Record<string, { origin: string }>;
  };
  const tags = new Map<string, string>();
  for (const [rel, { origin }] of Object.entries(index.sources)) {
    const m = /^crds\/([\w-]+)\//.exec(rel);
    const o = /^[\w-]+\/([\w-]+)@(v[\d.]+):/.exec(origin);
    if (m && o && o[1] === m[1]) tags.set(m[1]!, o[2]!);
  }
  return tags;
}

describe('platform components', () => {
  const components = platformComponents(defaultOpsSettings());

  it('pin exact chart versions (no ranges, no latest)', () => {
    for (const c of components) expect(c.version, c.name).toMatch(/^v?\d+\.\d+\.\d+$/);
  });

  it('install the releases our CRD schemas come from (tags recorded in the schema bundle)', () => {
    const tags = crdTags();
    const withCrds = components.filter((c) => c.crds);
    expect(withCrds.map((c) => c.name).sort()).toEqual(
      [
        'argo-rollouts',
        'cloudnative-pg',
        'external-secrets',
        'keda',
        'kube-prometheus-stack',
        'kyverno',
      ].sort(),
    );
    for (const c of withCrds) expect(c.appVersion, c.name).toBe(tags.get(c.crds!));
  });

  it('apply server-side wherever CRDs are installed, in the platform project, without auto-prune', () => {
    for (const app of platformApplications(defaultOpsSettings())) {
      const spec = app.spec as {
        project: string;
        syncPolicy: { automated: { prune: boolean }; syncOptions: string[] };
      };
      expect(spec.project).toBe('platform');
      expect(spec.syncPolicy.automated.prune).toBe(false);
      if (['loki', 'opentelemetry-collector', 'tempo'].includes(app.metadata.name)) continue;
      expect(spec.syncPolicy.syncOptions, app.metadata.name).toContain('ServerSideApply=true');
    }
  });
});

describe('the root sync order (docs/rehearsal.md, "Sync plan")', () => {
  const wave = (o: { metadata: { annotations?: Record<string, string> } }) =>
    Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
  const apps = [
    ...platformApplications(defaultOpsSettings()),
    policiesApplication(),
    platformSecretsApplication(),
  ];

  it('restores the Application health check before any platform Application, in the ConfigMap Argo CD reads', () => {
    const cm = applicationHealthConfigMap();
    expect(cm.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'argocd' });
    expect(Object.keys(cm.data as object)).toEqual([
      'resource.customizations.health.argoproj.io_Application',
    ]);
    for (const app of apps) expect(wave(cm), app.metadata.name).toBeLessThan(wave(app));
  });

  it('applies the ApplicationSets after every platform Application', () => {
    for (const app of apps) expect(wave(app), app.metadata.name).toBeLessThan(ROOT_WAVES.applicationSets);
  });

  it('syncs the platform ExternalSecrets after External Secrets and Argo Rollouts', () => {
    const at = (name: string) => wave(apps.find((a) => a.metadata.name === name)!);
    expect(at('platform-secrets')).toBeGreaterThan(at('external-secrets'));
    expect(at('platform-secrets')).toBeGreaterThan(at('argo-rollouts'));
  });
});

describe('platform AppProject', () => {
  it('allows every platform component namespace and chart repository', async () => {
    const { PLATFORM } = await import('../../platform.js');
    for (const c of platformComponents(defaultOpsSettings())) {
      expect(PLATFORM.platformNamespaces as readonly string[], c.name).toContain(c.namespace);
      expect(PLATFORM.platformSourceRepos, c.name).toContain(c.repoURL);
    }
  });
});
