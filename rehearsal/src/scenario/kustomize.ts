import { clone, rec } from '../expand/meta.js';
import type { K8sObject } from '../model.js';

export class KustomizeError extends Error {}

/**
 * The overrides an Application's `source.kustomize` puts over a Kustomize folder (argo-cd v3.5.1
 * util/kustomize/kustomize.go Build runs `kustomize edit set image` and writes `patches`):
 *  - `images`: `name[=newName][:newTag][@digest]`; a container image whose name matches gets the
 *    new name, and the new tag or digest replaces its own (kustomize api/filters/imagetag/updater.go);
 *  - `patches` with a `target` (kind, name) and an RFC 6902 JSON patch (`add`, `replace`, `remove`).
 * Other Kustomize options fail closed.
 */
export function applyKustomize(objects: K8sObject[], kustomize: Record<string, unknown>): K8sObject[] {
  const unsupported = Object.keys(kustomize).filter((k) => !['images', 'patches'].includes(k));
  if (unsupported.length)
    throw new KustomizeError(`source.kustomize.${unsupported.join(', ')} is not evaluated`);
  const images = ((kustomize.images as string[] | undefined) ?? []).map(parseImageOverride);
  const patches = ((kustomize.patches as unknown[]) ?? []).map(rec);
  return objects.map((o) => {
    let out = images.length ? setImages(o, images) : o;
    for (const p of patches) {
      const t = rec(p.target);
      if ((t.kind && t.kind !== out.kind) || (t.name && t.name !== out.metadata.name)) continue;
      if (typeof p.patch !== 'string')
        throw new KustomizeError('only inline JSON 6902 patches are evaluated');
      out = applyJsonPatch(out, JSON.parse(p.patch) as JsonPatchOp[]);
    }
    return out;
  });
}

interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

function parseImageOverride(s: string): ImageOverride {
  const [left, digest] = s.split('@') as [string, string | undefined];
  const eq = left.indexOf('=');
  const [name, tag] = splitTag(eq < 0 ? left : left.slice(0, eq));
  const [newName, newTag] = eq < 0 ? [undefined, tag] : splitTag(left.slice(eq + 1));
  return {
    name,
    ...(newName ? { newName } : {}),
    ...(newTag ? { newTag } : {}),
    ...(digest ? { digest } : {}),
  };
}

function splitTag(image: string): [string, string | undefined] {
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/')
    ? [image.slice(0, colon), image.slice(colon + 1)]
    : [image, undefined];
}

function imageName(image: string): string {
  const noDigest = image.split('@')[0]!;
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}

function setImages(o: K8sObject, overrides: ImageOverride[]): K8sObject {
  const copy = clone(o);
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'object' && v !== null) {
      const r = v as Record<string, unknown>;
      if ((Array.isArray(r.containers) || Array.isArray(r.initContainers)) && !('apiVersion' in r)) {
        for (const c of [
          ...((r.containers as unknown[]) ?? []),
          ...((r.initContainers as unknown[]) ?? []),
        ]) {
          const cr = rec(c);
          if (typeof cr.image !== 'string') continue;
          const hit = overrides.find((x) => x.name === imageName(cr.image as string));
          if (!hit) continue;
          const suffix = hit.digest ? `@${hit.digest}` : hit.newTag ? `:${hit.newTag}` : '';
          cr.image = `${hit.newName ?? hit.name}${suffix || (cr.image as string).slice(imageName(cr.image as string).length)}`;
        }
      }
      for (const x of Object.values(r)) visit(x);
    }
  };
  visit(copy);
  return copy;
}

interface JsonPatchOp {
  op: string;
  path: string;
  value?: unknown;
}

/** RFC 6902 add/replace/remove over an object copy; a path that does not exist fails closed. */
export function applyJsonPatch<T>(doc: T, ops: JsonPatchOp[]): T {
  const out = clone(doc);
  for (const op of ops) {
    const parts = op.path
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop();
    if (last === undefined) throw new KustomizeError(`patch path ${op.path} is the whole document`);
    let parent: unknown = out;
    for (const p of parts) {
      parent = Array.isArray(parent) ? parent[Number(p)] : rec(parent)[p];
      if (parent === undefined) throw new KustomizeError(`patch path ${op.path} does not exist`);
    }
    const container = parent as Record<string, unknown> | unknown[];
    if (!['add', 'replace', 'remove'].includes(op.op))
      throw new KustomizeError(`patch op ${op.op} is not evaluated`);
    if (Array.isArray(container)) {
      const i = last === '-' ? container.length : Number(last);
      if (op.op !== 'add' && i >= container.length)
        throw new KustomizeError(`patch path ${op.path} does not exist`);
      if (op.op === 'add') container.splice(i, 0, op.value);
      else if (op.op === 'replace') container[i] = op.value;
      else container.splice(i, 1);
    } else {
      if (op.op !== 'add' && !(last in container))
        throw new KustomizeError(`patch path ${op.path} does not exist`);
      if (op.op === 'remove') delete container[last];
      else container[last] = op.value;
    }
  }
  return out;
}
