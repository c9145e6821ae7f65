/** Kubernetes objects as the evaluator sees them, and the Kyverno CLI's input normalisation. */
import type { ResourceMap } from './resource-map.js';

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v.apiVersion === 'string' && typeof v.kind === 'string';
}

const NULL_MAP_KEYS = new Set(['labels', 'annotations', 'data', 'stringData', 'nodeSelector', 'matchLabels']);

/**
 * Kyverno CLI normalisation (docs/design/policy-gate.md §What the CLI feeds the engine): YAML-null
 * label/annotation/data/ nodeSelector/matchLabels maps become `{}`, and a namespaced kind without a
 * namespace is put in `default` (an unknown kind counts as namespaced, as the CLI treats unknown
 * CRDs). Integers are already JS numbers, i.e. doubles — the CLI's float64 conversion.
 */
export function normalizeObject(object: KubeObject, resources: ResourceMap): KubeObject {
  // Copy only what changes: the caller's objects (e.g. render's in-memory output) stay untouched.
  const copy = (hasNullMap(object) ? fixNullMaps(object) : { ...object }) as KubeObject;
  copy.metadata = { ...(copy.metadata ?? {}) };
  const info = resources.lookup(copy.apiVersion, copy.kind);
  const namespaced = info ? info.namespaced : true;
  if (namespaced && !copy.metadata.namespace) copy.metadata.namespace = 'default';
  if (!namespaced && copy.metadata.namespace) delete copy.metadata.namespace;
  return copy;
}

/**
 * Whether a null map sits anywhere in a JSON value. Every object the gate sees is walked whole,
 * so the walk descends only into objects and arrays (no call per string or number) and
 * allocates nothing (indexes and `for…in`, no key arrays or iterators).
 */
function hasNullMap(value: object): boolean {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'object' && v !== null && hasNullMap(v)) return true;
    }
    return false;
  }
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    if (v === null) {
      if (NULL_MAP_KEYS.has(k)) return true;
    } else if (typeof v === 'object' && hasNullMap(v)) return true;
  }
  return false;
}

function fixNullMaps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fixNullMaps);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = v === null && NULL_MAP_KEYS.has(k) ? {} : fixNullMaps(v);
  return out;
}

/** `Kind/namespace/name` or `Kind/name`, the way result tables name a resource. */
export function objectRef(object: KubeObject): string {
  const ns = object.metadata?.namespace;
  const name = object.metadata?.name ?? object.metadata?.generateName ?? '<unnamed>';
  return ns ? `${object.kind}/${ns}/${name}` : `${object.kind}/${name}`;
}
