/**
 * Which builder modules produced an object. The render pipeline writes the environment file, the
 * chart factory and these modules into every file's header and the index
 * (docs/design/rendering.md §Deterministic output), so a reviewer reading a file knows every
 * module that decided part of it.
 */
import { ApiObject } from 'cdk8s';
import type { Construct, IConstruct } from 'constructs';
import type { K8sObject } from '../render/types.js';

const builders = new WeakMap<IConstruct, string[]>();

/** Records that `modules` (repository-relative, from `moduleSource`) decided part of `construct`. */
export function builtBy(construct: IConstruct, ...modules: readonly string[]): void {
  const list = builders.get(construct) ?? [];
  for (const m of modules) if (!list.includes(m)) list.push(m);
  builders.set(construct, list);
}

/** The builder modules recorded on `construct`, in the order they were recorded. */
export function buildersOf(construct: IConstruct): readonly string[] {
  return builders.get(construct) ?? [];
}

/** A plain object as an ApiObject of `scope` (id `<kind>-<name>`), built by `builder`. */
export function addObject(scope: Construct, object: K8sObject, builder: string): ApiObject {
  const o = new ApiObject(scope, `${object.kind}-${object.metadata.name}`, object);
  builtBy(o, builder);
  return o;
}
