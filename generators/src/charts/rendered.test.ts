/**
 * Per-environment expectations over the real render of the committed environment files (in memory,
 * schema-validated): what docs/design/argo.md §Operations objects promises each environment has,
 * and what it must not.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderEnvironments } from '../render/render.js';
import type { K8sObject, RenderResult } from '../render/types.js';
import { BIND_HOST_VARIABLE } from './app/app-env.js';

let result: RenderResult;
beforeAll(async () => {
  result = await renderEnvironments();
}, 60_000);

const objectsOf = (env: string): K8sObject[] =>
  result.environments.find((e) => e.name === env)!.objects.map((o) => o.object);
const preview = (): K8sObject[] =>
  result.global.filter((o) => o.path.startsWith('preview/')).map((o) => o.object);
const one = (objs: K8sObject[], kind: string, name: string) =>
  objs.find((o) => o.kind === kind && o.metadata.name === name);
const spec = (o: K8sObject | undefined) => (o?.spec ?? {}) as Record<string, any>;

describe('prod', () => {
  const prod = () => objectsOf('prod');

  it('gates every Rollout on analysis', () => {
    const api = spec(one(prod(), 'Rollout', 'api')).strategy.canary;
    expect(api.analysis.templates).toEqual([{ templateName: 'api-canary-background' }]);
    expect(api.steps.filter((s: object) => 'analysis' in s)).toHaveLength(3);
    const fe = spec(one(prod(), 'Rollout', 'frontend')).strategy.blueGreen;
    expect(fe.prePromotionAnalysis.templates).toEqual([
      { templateName: 'frontend-smoke' },
      { templateName: 'frontend-success-rate' },
    ]);
    expect(fe.postPromotionAnalysis.templates).toEqual([{ templateName: 'frontend-success-rate' }]);
    expect(fe.autoPromotionSeconds).toBeUndefined();
    expect(spec(one(prod(), 'Rollout', 'worker')).strategy.canary.analysis).toBeDefined();
  });

  it('sends real traffic to the API canary: no stableService pinning without a traffic router', () => {
    const canary = spec(one(prod(), 'Rollout', 'api')).strategy.canary;
    expect(canary.canaryService).toBe('api-canary');
    expect(canary.stableService).toBeUndefined();
    expect(spec(one(prod(), 'Ingress', 'api')).rules[0].http.paths[0].backend.service.name).toBe('api');
  });

  it('runs 3 database instances with WAL archiving, a retention policy and a daily backup', () => {
    expect(spec(one(prod(), 'Cluster', 'payday-db'))).toMatchObject({
      instances: 3,
      plugins: [{ isWALArchiver: true }],
    });
    expect(spec(one(prod(), 'ObjectStore', 'payday-db-store')).retentionPolicy).toBe('30d');
    expect(spec(one(prod(), 'ScheduledBackup', 'payday-db-daily')).schedule).toBe('0 0 2 * * *');
  });

  it('autoscales: HPA on the API Rollout, KEDA 1 → 20 on the worker Rollout, no replicas rendered for either', () => {
    expect(spec(one(prod(), 'HorizontalPodAutoscaler', 'api')).scaleTargetRef).toMatchObject({
      kind: 'Rollout',
      name: 'api',
    });
    expect(spec(one(prod(), 'ScaledObject', 'worker'))).toMatchObject({
      minReplicaCount: 1,
      maxReplicaCount: 20,
    });
    for (const app of ['api', 'worker']) expect(spec(one(prod(), 'Rollout', app)).replicas).toBeUndefined();
  });

  it('spreads pods over zones and has a PDB for every app', () => {
    expect(spec(one(prod(), 'Rollout', 'api')).template.spec.topologySpreadConstraints).toHaveLength(2);
    for (const app of ['api', 'frontend', 'worker']) {
      expect(spec(one(prod(), 'PodDisruptionBudget', app)).unhealthyPodEvictionPolicy, app).toBe(
        'AlwaysAllow',
      );
    }
  });
});

describe('dev', () => {
  it('is small: no metric analysis, one database instance, no backups, no autoscalers, no PDBs', () => {
    const kinds = new Set(objectsOf('dev').map((o) => o.kind));
    // The one AnalysisTemplate is the frontend smoke test, which gates every blue/green switch.
    expect(
      objectsOf('dev')
        .filter((o) => o.kind === 'AnalysisTemplate')
        .map((o) => o.metadata.name),
    ).toEqual(['frontend-smoke']);
    for (const k of [
      'ObjectStore',
      'ScheduledBackup',
      'HorizontalPodAutoscaler',
      'ScaledObject',
      'PodDisruptionBudget',
    ]) {
      expect(kinds, k).not.toContain(k);
    }
    expect(spec(one(objectsOf('dev'), 'Cluster', 'payday-db')).instances).toBe(1);
    expect(spec(one(objectsOf('dev'), 'Rollout', 'api')).strategy.canary.analysis).toBeUndefined();
  });
});

describe('every environment', () => {
  it.each(['dev', 'staging', 'prod'])(
    '%s: default deny, a runbook on every alert, the migration as a PreSync hook',
    (env) => {
      const objs = objectsOf(env);
      expect(spec(one(objs, 'NetworkPolicy', 'default-deny'))).toEqual({
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
      });
      const rules = spec(one(objs, 'PrometheusRule', 'payday-alerts')).groups.flatMap(
        (g: { rules: object[] }) => g.rules,
      );
      expect(rules.length).toBeGreaterThan(0);
      for (const r of rules) expect(r.annotations.runbook_url).toMatch(/\/runbooks\/[\w-]+\.md$/);
      expect(one(objs, 'Job', 'db-migrate')?.metadata.annotations?.['argocd.argoproj.io/hook']).toBe(
        'PreSync',
      );
      expect(
        one(objs, 'Cluster', 'payday-db')?.metadata.annotations?.['argocd.argoproj.io/sync-options'],
      ).toBe('Prune=false,Delete=false');
    },
  );
});

describe('preview', () => {
  it('renders plain Deployments: no Rollout, no Namespace, no namespace on any object', () => {
    const objs = preview();
    expect(objs.length).toBeGreaterThan(0);
    const kinds = new Set(objs.map((o) => o.kind));
    expect(kinds).toContain('Deployment');
    for (const k of ['Rollout', 'Namespace', 'AnalysisTemplate', 'ScaledObject', 'ScheduledBackup'])
      expect(kinds, k).not.toContain(k);
    expect(objs.filter((o) => o.metadata.namespace !== undefined).map((o) => o.metadata.name)).toEqual([]);
    for (const d of objs.filter((o) => o.kind === 'Deployment')) expect(spec(d).replicas).toBe(1);
  });

  it('reads only preview secrets and runs a one-instance database', () => {
    const keys = preview()
      .filter((o) => o.kind === 'ExternalSecret')
      .flatMap((o) => spec(o).data.map((d: { remoteRef: { key: string } }) => d.remoteRef.key));
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k: string) => k.startsWith('payday/preview/'))).toBe(true);
    expect(spec(preview().find((o) => o.kind === 'Cluster')).instances).toBe(1);
  });

  it('has a kustomization listing every preview file and the pull-request ApplicationSet', () => {
    const k = result.files.get('preview/kustomization.yaml')!;
    for (const o of result.global.filter((g) => g.path.startsWith('preview/')))
      expect(k).toContain(o.path.slice('preview/'.length));
    expect(result.files.has('argocd/applicationset-payday-preview.yaml')).toBe(true);
  });
});

describe('provenance', () => {
  const sourceOf = (path: string) => {
    const all = [...result.environments.flatMap((e) => e.objects), ...result.global];
    return all.find((o) => o.path === path)!.source;
  };

  it('names every module that decided part of a Rollout, in the header and the index', () => {
    const source = sourceOf('prod/api/rollout-api.yaml');
    expect(source).toEqual([
      'environments/prod.yaml',
      'generators/src/charts/app/index.ts',
      'generators/src/charts/app/app-env.ts',
      'generators/src/charts/app/availability.ts',
      'generators/src/charts/argocd/notifications.ts',
      'generators/src/charts/app/analysis.ts',
    ]);
    expect(result.files.get('prod/api/rollout-api.yaml')!.split('\n')[1]).toBe(
      `# Source: ${source.join(', ')}`,
    );
    expect(result.files.get('prod/index.md')).toContain(
      `| api/rollout-api.yaml | Rollout | api (payday-prod) | ${source.join(', ')} |`,
    );
    // dev neither spreads pods nor runs analysis (its settings): those modules decide nothing there.
    expect(sourceOf('dev/worker/rollout-worker.yaml')).toEqual([
      'environments/dev.yaml',
      'generators/src/charts/app/index.ts',
      'generators/src/charts/app/app-env.ts',
      'generators/src/charts/argocd/notifications.ts',
    ]);
  });

  it('names the builder of every other object after the chart that placed it', () => {
    expect(sourceOf('prod/database/cluster-payday-db.yaml')).toEqual([
      'environments/prod.yaml',
      'generators/src/charts/database/index.ts',
      'generators/src/charts/database/database.ts',
    ]);
    expect(sourceOf('argocd/platform/application-payday-policies.yaml')).toEqual([
      'environments/*.yaml',
      'generators/src/charts/argocd/index.ts',
      'generators/src/charts/argocd/platform.ts',
    ]);
  });

  it('renders previews from the base environment file through the same charts', () => {
    expect(sourceOf('preview/api/deployment-api.yaml')).toEqual([
      'environments/dev.yaml',
      'generators/src/charts/app/index.ts',
      'generators/src/charts/app/app-env.ts',
    ]);
  });
});

describe('cost awareness', () => {
  it('prod asks for more at maximum than at minimum replicas; dev is fixed and small', async () => {
    const { costOfObjects } = await import('../cost/cost.js');
    const prod = costOfObjects('prod', objectsOf('prod'));
    expect(prod.total.cpuMillicores.max).toBeGreaterThan(prod.total.cpuMillicores.min);
    expect(prod.lines.find((l) => l.component === 'Rollout/worker')).toMatchObject({
      minReplicas: 1,
      maxReplicas: 20,
    });
    const dev = costOfObjects('dev', objectsOf('dev'));
    expect(dev.total.cpuMillicores.min).toBe(dev.total.cpuMillicores.max);
    expect(dev.total.cpuMillicores.max).toBeLessThan(prod.total.cpuMillicores.min);
  });
});

describe('app wiring', () => {
  const env = (app: string) =>
    spec(one(objectsOf('prod'), 'Rollout', app)).template.spec.containers[0].env.map(
      (e: { name: string }) => e.name,
    );

  it('gives each app its database URL, secrets and cluster addresses by reference', () => {
    expect(env('api')).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'API_HOST', 'TRUST_PROXY', 'OTEL_EXPORTER_OTLP_ENDPOINT']),
    );
    expect(env('frontend')).toEqual(expect.arrayContaining(['SESSION_SECRET', 'API_URL', 'TRUST_PROXY']));
    expect(env('worker')).toEqual(expect.arrayContaining(['DATABASE_URL', 'WEBHOOK_SIGNING_SECRET']));
  });

  it('sets every server to listen on all interfaces in its pod, where the local default is loopback', () => {
    for (const app of ['api', 'frontend', 'worker'] as const) {
      const container = spec(one(objectsOf('prod'), 'Rollout', app)).template.spec.containers[0];
      expect(container.env).toContainEqual({ name: BIND_HOST_VARIABLE[app], value: '0.0.0.0' });
    }
  });
});

describe('Gateway API exposure', () => {
  it('is refused by the validator with a clear message: HTTPRoute has no pinned schema in the bundle', async () => {
    const { loadEnvironments } = await import('../environments/load.js');
    const { join } = await import('node:path');
    const root = join(import.meta.dirname, '../../..');
    const envs = await loadEnvironments(join(root, 'environments'), { root });
    const gateway = envs.map((e) =>
      e.name === 'staging' ? { ...e, exposure: { ...e.exposure, mode: 'gateway' as const } } : e,
    );
    await expect(renderEnvironments({ environments: gateway, only: ['staging'] })).rejects.toThrow(
      /no schema for gateway\.networking\.k8s\.io\/v1 HTTPRoute: not a Kubernetes 1\.34 kind and no CRD in the schema bundle \(generators\/schemas\/\)/,
    );
  });
});
