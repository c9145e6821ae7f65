import type { K8sObject } from '../model.js';

export type Labels = Record<string, string>;

/** `apps/v1` → `apps`, `v1` → `` (core). */
export const groupOf = (apiVersion: string): string => {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
};

/**
 * A deep copy of a JSON value (objects from YAML are plain JSON), walked directly: several times
 * cheaper than structuredClone on plain objects. Anything that is not a plain object or array of
 * them goes to structuredClone, as does a `__proto__` key.
 *
 * Copy only what a rule then modifies: nothing in the rehearsal modifies an object once it is
 * built (inputs, placed objects, controller outputs), so an output shares the parts it copies
 * unchanged with its parent (a Pod's spec is its template's spec, a ReplicaSet's template spec is
 * its Rollout's), which spares deep copies of every pod template.
 */
export const clone = <T>(v: T): T => copyJson(v) as T;

function copyJson(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(copyJson);
  const proto = Object.getPrototypeOf(v);
  if ((proto !== Object.prototype && proto !== null) || Object.hasOwn(v, '__proto__'))
    return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = copyJson((v as Record<string, unknown>)[k]);
  return out;
}

/** The owner reference a controller sets with SetControllerReference (uid left out: there is none offline). */
export function controllerRef(owner: K8sObject): Record<string, unknown> {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Merges label maps left to right, later keys win (Go's map copy loops). */
export function merge(...maps: (Labels | undefined)[]): Labels {
  const out: Labels = {};
  for (const m of maps) if (m) Object.assign(out, m);
  return out;
}

/** Reads a nested field as a record, or `{}`. */
export function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function spec(o: K8sObject): Record<string, unknown> {
  return rec(o.spec);
}
