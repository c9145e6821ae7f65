import type { K8sObject } from '../model.js';

export type Labels = Record<string, string>;

/** `apps/v1` → `apps`, `v1` → `` (core). */
export const groupOf = (apiVersion: string): string =>
  apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';

/** A deep copy of a JSON value (objects from YAML are plain JSON). */
export const clone = <T>(v: T): T => structuredClone(v);

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
