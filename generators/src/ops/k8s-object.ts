/**
 * The shape every ops builder returns: a plain Kubernetes object. Builders stay plain data so they
 * can be unit-tested without a cdk8s App and handed to any chart (`new ApiObject(scope, id, obj)`);
 * the render pipeline validates each one against the pinned schemas
 * (docs/design/rendering.md §Validation against pinned schemas).
 */
export interface ObjectMeta {
  name: string;
  /** Omitted in preview mode: Argo CD places namespace-less manifests into `pr-<number>`. */
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Builds `metadata`, leaving out empty maps and an undefined namespace (stable, minimal YAML). */
export function meta(
  name: string,
  namespace: string | undefined,
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): ObjectMeta {
  const m: ObjectMeta = { name };
  if (namespace !== undefined) m.namespace = namespace;
  if (Object.keys(labels).length > 0) m.labels = labels;
  if (Object.keys(annotations).length > 0) m.annotations = annotations;
  return m;
}

/** Argo CD sync-wave annotation (docs/design/argo.md §Sync waves and hooks). */
export function syncWave(wave: number): Record<string, string> {
  return { 'argocd.argoproj.io/sync-wave': String(wave) };
}
