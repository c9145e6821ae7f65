/**
 * Facts about where this repository is deployed that are the same for every environment.
 * One place, so no value is kept by hand in several files (docs/design/architecture.md §Conventions).
 */
export const PLATFORM = {
  /** The Git repository Argo CD syncs (this repository). */
  repoURL: 'https://github.com/payday/payday.git',
  /** The branch Argo CD follows. */
  targetRevision: 'main',
  /** Namespace Argo CD runs in (Applications, ApplicationSets and AppProjects live there). */
  argocdNamespace: 'argocd',
  /** The in-cluster API server as Argo CD names it. */
  inCluster: 'https://kubernetes.default.svc',
  /** Folder of the rendered tree, relative to the repository root. */
  gitopsDir: 'gitops',
  /** Folder of the environment files, relative to the repository root. */
  environmentsDir: 'environments',
  /** Label prefix of our own labels and annotations. */
  labelDomain: 'payday.dev',
  /**
   * Namespaces the `platform` AppProject may deploy to (controllers installed by platform
   * Applications). Add one here when a platform component needs its own namespace.
   */
  platformNamespaces: [
    'argocd',
    'argo-rollouts',
    'kyverno',
    'keda',
    'cnpg-system',
    'external-secrets',
    'monitoring',
    'cert-manager',
    'observability',
  ],
  /**
   * Extra source repositories of the `platform` project (Helm chart repositories of the platform
   * Applications in generators/src/charts/argocd/platform.ts; a test there keeps the two lists in step).
   */
  platformSourceRepos: [
    'https://argoproj.github.io/argo-helm',
    'https://charts.external-secrets.io',
    'https://charts.jetstack.io',
    'https://cloudnative-pg.github.io/charts',
    'https://grafana.github.io/helm-charts',
    'https://kedacore.github.io/charts',
    'https://kyverno.github.io/kyverno',
    'https://open-telemetry.github.io/opentelemetry-helm-charts',
    'https://prometheus-community.github.io/helm-charts',
  ] as string[],
} as const;

/** Namespace of an environment's apps. */
export function environmentNamespace(env: string): string {
  return `payday-${env}`;
}

/** AppProject of an environment. */
export function environmentProject(env: string): string {
  return `payday-${env}`;
}
