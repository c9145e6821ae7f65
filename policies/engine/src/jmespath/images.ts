/**
 * The `images` context variable (kyverno v1.19.0 pkg/utils/image/infos.go with the default
 * registry `docker.io`): per container kind and container name, the parsed image reference
 * (`registry`, `path`, `name`, `tag`, `digest`, `reference`, `referenceWithTag`), for Pods and
 * the pod templates of controllers.
 */
export interface ImageInfo {
  registry: string;
  name: string;
  path: string;
  tag?: string;
  digest?: string;
  reference: string;
  referenceWithTag: string;
}

export function imageInfo(image: string): ImageInfo | undefined {
  let full = image;
  const slash = full.indexOf('/');
  const first = slash < 0 ? '' : full.slice(0, slash);
  if (slash < 0 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    full = `docker.io/${full}`;
  }
  let rest = full;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[a-z0-9]+:[a-f0-9]{32,}$/.test(digest)) return undefined;
  }
  let tag = '';
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) return undefined;
  }
  const registry = rest.slice(0, rest.indexOf('/'));
  const path = rest.slice(rest.indexOf('/') + 1);
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(path))
    return undefined;
  if (!digest && !tag) tag = 'latest';
  const name = path.slice(path.lastIndexOf('/') + 1);
  const base = `${registry}/${path}`;
  return {
    registry,
    name,
    path,
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
    reference: digest ? `${base}@${digest}` : `${base}:${tag}`,
    referenceWithTag: `${base}:${tag}`,
  };
}

const KINDS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

function podSpecOf(object: Record<string, unknown>): Record<string, unknown> | undefined {
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec) return undefined;
  if (object.kind === 'Pod') return spec;
  if (object.kind === 'CronJob') {
    const job = spec.jobTemplate as { spec?: { template?: { spec?: Record<string, unknown> } } } | undefined;
    return job?.spec?.template?.spec;
  }
  return (spec.template as { spec?: Record<string, unknown> } | undefined)?.spec;
}

export function imagesOf(object: unknown): Record<string, Record<string, ImageInfo>> | undefined {
  if (object === null || typeof object !== 'object') return undefined;
  const spec = podSpecOf(object as Record<string, unknown>);
  if (!spec) return undefined;
  const out: Record<string, Record<string, ImageInfo>> = {};
  for (const kind of KINDS) {
    const list = spec[kind];
    if (!Array.isArray(list)) continue;
    for (const c of list as { name?: string; image?: string }[]) {
      if (typeof c?.image !== 'string' || typeof c.name !== 'string') continue;
      const info = imageInfo(c.image);
      if (!info) continue;
      out[kind] ??= {};
      out[kind]![c.name] = info;
    }
  }
  return Object.keys(out).length ? out : undefined;
}
