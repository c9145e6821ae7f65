/** Shapes the render pipeline passes around (in memory, before anything is written). */

/** A Kubernetes object as plain JSON. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [key: string]: unknown;
}

export interface RenderedObject {
  /** File path relative to the output root (`gitops/`): `staging/api/rollout-api.yaml`. */
  path: string;
  object: K8sObject;
  /** Repository-relative inputs: the environment file(s) first, then the generator module. */
  source: string[];
  /** Environment name, or `undefined` for global objects (gitops/argocd). */
  environment?: string;
  /** Folder under the environment (`api`) or under the root for global objects (`argocd`). */
  folder: string;
}

export interface RenderedEnvironment {
  name: string;
  objects: RenderedObject[];
}

export interface RenderResult {
  environments: RenderedEnvironment[];
  /** Objects outside any environment (gitops/argocd); empty when rendering selected environments. */
  global: RenderedObject[];
  /** Every file to write, path relative to the output root → content. Sorted by path. */
  files: Map<string, string>;
  /**
   * Directories (relative to the output root) this render owns: `['']` for the whole tree, or
   * `['staging']` with `--env staging`. Writing replaces them; checking compares them.
   */
  scope: string[];
}
