/**
 * What the rehearsal reasons about: the objects a cluster will hold once Argo CD has synced
 * `gitops/` and the controllers have acted on it (docs/rehearsal.md).
 *
 * The rehearsal never imports the generators (they call it): its input is structural, so the
 * renderer's in-memory `RenderedObject`s and files read back from `gitops/` both fit.
 */

/** A Kubernetes object as plain JSON. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** One rendered file's object, as the renderer produced it or as read back from `gitops/`. */
export interface RenderedInput {
  /** Path relative to `gitops/`: `prod/api/rollout-api.yaml`. */
  path: string;
  object: K8sObject;
  /** `dev`, `staging`, `prod`, `preview`; `undefined` for `gitops/argocd` and `gitops/platform`. */
  environment?: string;
}

/** Where an object in the rehearsed cluster comes from. */
export type Origin =
  | { kind: 'rendered'; path: string }
  | {
      kind: 'expanded';
      /** The controller that creates it: `argo-rollouts`, `cloudnative-pg`, `keda`, … */
      controller: string;
      /** `Kind/namespace/name` of the object it was derived from. */
      parent: string;
      /** The upstream source the expansion rule follows, at the pinned tag. */
      rule: string;
    };

export interface ClusterObject {
  object: K8sObject;
  origin: Origin;
}

export type Check = 'expansion' | 'admission' | 'sync-plan' | 'network' | 'metrics' | 'platform';

/** One thing the rehearsal found. Every finding fails the rehearsal unless it is a warning. */
export interface Finding {
  check: Check;
  severity: 'error' | 'warning';
  /** `Kind/namespace/name` (namespace omitted for cluster-scoped objects). */
  subject: string;
  message: string;
}

/** `Kind/namespace/name`, the way findings and plans name an object. */
export const ref = (o: Pick<K8sObject, 'kind' | 'metadata'>): string => {
  // Every check names objects this way, many times per object: concatenated, not joined.
  const { namespace, name } = o.metadata;
  let out = o.kind || '';
  if (namespace) out = out ? `${out}/${namespace}` : namespace;
  if (name) out = out ? `${out}/${name}` : name;
  return out;
};

/**
 * One cluster the rehearsal plays through: an environment (`dev`, `staging`, `prod`) or a
 * preview (`preview`, placed in `pr-<number>` for a sample pull request). `objects` holds the
 * rendered objects placed where Argo CD puts them (destination namespace set), the global
 * objects that sync them (`gitops/argocd`, `gitops/platform`), and everything the controllers
 * create from them (origin `expanded`).
 */
export interface Scenario {
  name: string;
  /** The namespace the environment's (or preview's) Applications deploy to. */
  namespace: string;
  objects: ClusterObject[];
}

/**
 * One `rehearse()` call as its checks see it: the same object for every scenario of the call,
 * a new one for the next call. A check may keep what it derives from the objects its scenarios
 * share (scenario/build.ts) under it, so that work is done once per rehearsal and nothing it
 * keeps outlives the call.
 */
export interface RehearsalRun {
  readonly scenarios: readonly Scenario[];
}

/** A check the rehearsal runs over every scenario. Each lives in its own folder under src/. */
export interface RehearsalCheck {
  name: Check;
  /** `rehearsal`: the call this scenario belongs to (absent when a caller runs the check alone). */
  run(scenario: Scenario, rehearsal?: RehearsalRun): Finding[];
}
