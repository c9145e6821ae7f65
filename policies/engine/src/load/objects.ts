import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { isKubeObject, type KubeObject } from '../kube/objects.js';

export class ObjectLoadError extends Error {}

/** Parses every YAML document of a text; each must be a Kubernetes object (apiVersion + kind). */
export function parseObjects(text: string, source: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new ObjectLoadError(`${source}: invalid YAML: ${doc.errors[0]!.message}`);
    const value = doc.toJS();
    if (value === null || value === undefined) continue;
    if (value.kind === 'List' && Array.isArray(value.items)) {
      for (const item of value.items) out.push(check(item, source));
      continue;
    }
    out.push(check(value, source));
  }
  return out;
}

function check(value: unknown, source: string): KubeObject {
  if (!isKubeObject(value))
    throw new ObjectLoadError(`${source}: document is not a Kubernetes object (needs apiVersion and kind)`);
  value.metadata ??= {};
  return value;
}

export function readObjects(file: string): KubeObject[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ObjectLoadError(`${file}: cannot read: ${(err as Error).message}`);
  }
  return parseObjects(text, file);
}
