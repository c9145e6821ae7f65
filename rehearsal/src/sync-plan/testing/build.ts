/** Hand-built scenarios for the sync-plan and platform tests. */
import { expandObjects } from '../../expand/expand.js';
import type { ClusterObject, K8sObject, Scenario } from '../../model.js';
import { ref } from '../../model.js';
import { generateApplications, SAMPLE_PULL_REQUEST } from '../../scenario/applicationset.js';
import { GITOPS_DIR } from '../../scenario/build.js';

export const rendered = (path: string, object: K8sObject): ClusterObject => ({
  object,
  origin: { kind: 'rendered', path },
});

export const obj = (
  apiVersion: string,
  kind: string,
  name: string,
  extra: { namespace?: string; annotations?: Record<string, string>; spec?: unknown; data?: unknown } = {},
): K8sObject => ({
  apiVersion,
  kind,
  metadata: {
    name,
    ...(extra.namespace ? { namespace: extra.namespace } : {}),
    ...(extra.annotations ? { annotations: extra.annotations } : {}),
  },
  ...(extra.spec ? { spec: extra.spec } : {}),
  ...(extra.data ? { data: extra.data } : {}),
});

export const wave = (n: number): Record<string, string> => ({ 'argocd.argoproj.io/sync-wave': String(n) });

/** The root Application (syncs gitops/argocd recursively, like ours) and its AppProject. */
export const root = (): ClusterObject[] => [
  rendered(
    'argocd/application-payday-root.yaml',
    obj('argoproj.io/v1alpha1', 'Application', 'payday-root', {
      namespace: 'argocd',
      spec: {
        project: 'platform',
        destination: { namespace: 'argocd' },
        source: { path: 'gitops/argocd', directory: { recurse: true } },
      },
    }),
  ),
  rendered(
    'argocd/appproject-platform.yaml',
    obj('argoproj.io/v1alpha1', 'AppProject', 'platform', { namespace: 'argocd' }),
  ),
];

export const chartApp = (
  name: string,
  chart: string,
  version: string,
  namespace: string,
  waveNumber: number,
  values: Record<string, unknown> = {},
): ClusterObject =>
  rendered(
    `argocd/platform/application-${name}.yaml`,
    obj('argoproj.io/v1alpha1', 'Application', name, {
      namespace: 'argocd',
      annotations: wave(waveNumber),
      spec: {
        project: 'platform',
        destination: { namespace },
        source: { chart, targetRevision: version, helm: { valuesObject: values } },
      },
    }),
  );

export const pathApp = (name: string, path: string, namespace: string, waveNumber: number): ClusterObject =>
  rendered(
    `argocd/platform/application-${name}.yaml`,
    obj('argoproj.io/v1alpha1', 'Application', name, {
      namespace: 'argocd',
      annotations: wave(waveNumber),
      spec: { project: 'platform', destination: { namespace }, source: { path } },
    }),
  );

/** argocd-cm with the Application health check of argo-cd docs/operator-manual/health.md. */
export const applicationHealth = (waveNumber: number): ClusterObject =>
  rendered(
    'argocd/configmap-argocd-cm.yaml',
    obj('v1', 'ConfigMap', 'argocd-cm', {
      namespace: 'argocd',
      annotations: wave(waveNumber),
      data: { 'resource.customizations.health.argoproj.io_Application': 'hs = {}\nreturn hs\n' },
    }),
  );

/**
 * A hand-built scenario as the rehearsal hands it to the checks: each ApplicationSet's
 * Applications generated over the fixture's folders and every controller expanded, by the
 * scenario builder's own functions (scenario/applicationset.ts, expand/expand.ts). Expansion
 * findings are the expansion tests' business; the plan tests read only the objects.
 */
export const scenario = (objects: ClusterObject[], name = 'test', namespace = 'payday-test'): Scenario => {
  const directories = new Set<string>();
  for (const o of objects) {
    if (o.origin.kind !== 'rendered') continue;
    const parts = `${GITOPS_DIR}/${o.origin.path}`.split('/');
    for (let n = 1; n < parts.length; n++) directories.add(parts.slice(0, n).join('/'));
  }
  const generated: ClusterObject[] = objects
    .filter((o) => o.object.kind === 'ApplicationSet')
    .flatMap((set) =>
      generateApplications(set.object, [...directories], SAMPLE_PULL_REQUEST).map((object) => ({
        object,
        origin: {
          kind: 'expanded' as const,
          controller: 'argocd-applicationset',
          parent: ref(set.object),
          rule: 'argo-cd v3.5.1 applicationset/generators/git.go',
        },
      })),
    );
  return { name, namespace, objects: expandObjects([...objects, ...generated]).objects };
};

/** A hand-built scenario exactly as given: no Applications generated, no controller expanded. */
export const unexpanded = (objects: ClusterObject[], name = 'test', namespace = 'payday-test'): Scenario => ({
  name,
  namespace,
  objects,
});
