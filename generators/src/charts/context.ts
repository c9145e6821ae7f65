/**
 * What a chart factory receives. Factories never create cdk8s Apps or Charts themselves: they
 * ask for a *folder* and add constructs to it. Each folder is one cdk8s Chart and becomes one
 * directory of the rendered tree (`gitops/<env>/<folder>/`), which Argo CD turns into one
 * Application (git directory generator, docs/design/argo.md §Root Application and ApplicationSets).
 * The object builders the charts call take the same context (`BuilderContext`, a view of it).
 */
import type { Chart } from 'cdk8s';
import type { AppName } from '../catalogue/apps.js';
import type { Environment } from '../environments/schema.js';
import type { AppRef } from './app-ref.js';

/** The folders of an environment (`gitops/<env>/<folder>/`), one Argo CD Application each. */
export type FolderName = 'namespace' | 'api' | 'frontend' | 'worker' | 'database' | 'observability';

export interface FolderOptions {
  /**
   * Namespace stamped on namespaced objects of the folder. Default: the environment namespace
   * (none in preview mode, where the ApplicationSet places the manifests).
   */
  namespace?: string | null;
}

export interface EnvironmentContext {
  readonly scope: 'environment';
  /** The environment being rendered (every setting, with defaults applied). */
  readonly env: Environment;
  /** Every loaded environment (for rules that look at lineage). */
  readonly environments: readonly Environment[];
  /** The namespace of the environment's apps; `undefined` in preview mode (namespace-less). */
  readonly namespace: string | undefined;
  /**
   * Preview mode (docs/design/environments.md §Preview environments): plain Deployments, one
   * replica, no namespace, no prod secrets, no autoscalers, analysis or alerts.
   */
  readonly preview: boolean;
  /** Labels stamped on every environment-wide object (environment, part-of, managed-by). */
  readonly labels: Record<string, string>;
  /** Names, selectors, ports and replica bounds of the environment's apps (charts/app-ref.ts). */
  readonly apps: Record<AppName, AppRef>;
  /** The chart of `gitops/<env>/<name>/`, created on first use. */
  folder(name: string, options?: FolderOptions): Chart;
}

/** The part of the context the object builders read (plain functions, unit-tested without cdk8s). */
export type BuilderContext = Pick<EnvironmentContext, 'env' | 'namespace' | 'preview' | 'labels' | 'apps'>;

export interface GlobalContext {
  readonly scope: 'global';
  /** Every loaded environment. */
  readonly environments: readonly Environment[];
  /** The chart of `gitops/<path>/` (e.g. `argocd`), created on first use. Objects keep the namespace they set. */
  folder(path: string): Chart;
}
