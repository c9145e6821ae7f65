/** Hand-built scenarios for the sync-plan and platform tests. */
import type { ClusterObject, K8sObject, Scenario } from '../../model.js';

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

export const scenario = (objects: ClusterObject[], name = 'test', namespace = 'payday-test'): Scenario => ({
  name,
  namespace,
  objects,
});
