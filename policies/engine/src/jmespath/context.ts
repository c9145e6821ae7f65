import type { KubeObject } from '../kube/objects.js';
import { query } from './query.js';
import { type SubstitutionContext, substituteAll } from './substitute.js';

/**
 * Rule and foreach `context` entries (kyverno v1.19.0 pkg/engine/context/loaders and the CLI's
 * store/contextloader.go), loaded in order into the JSON context:
 * - `variable`: `value` (substituted), or `jmesPath` over the context (or over `value`), with
 *   `default` when the result is null or the lookup fails;
 * - `configMap`: the named ConfigMap among the objects the environment knows (a test's context
 *   file, the rendered environment), as `{data, metadata}`;
 * - `apiCall`: a mocked response from the values file `apiCallResponses` (URL or `METHOD:URL`),
 *   else a GET of a Kubernetes API path answered from the known objects;
 * - `globalReference`: a `globalContextEntries` mock from the values file;
 * - `imageRegistry`: never fetched offline.
 * An entry that cannot be resolved is not loaded, as in the CLI without a cluster; the variable
 * then exists only if the values file set it, else references to it fail with "Unknown key".
 */
export interface ContextSources {
  /** Known objects (ConfigMaps and API lookups). */
  objects: readonly KubeObject[];
  /**
   * Whether the objects stand for a cluster (the gate's rendered environment, a test's cluster
   * objects). Without one the Kyverno CLI loads no configMap or apiCall entry, so a variable the
   * values file set stays as set.
   */
  cluster: boolean;
  apiCallResponses: { url: string; method?: string; body: unknown; statusCode?: number }[];
  globalContextEntries: Record<string, unknown>;
}

export class ContextError extends Error {}

interface Entry {
  name: string;
  variable?: { value?: unknown; jmesPath?: string; default?: unknown };
  configMap?: { name: string; namespace?: string };
  apiCall?: { urlPath?: string; method?: string; jmesPath?: string; service?: { url?: string } };
  globalReference?: { name: string; jmesPath?: string };
  imageRegistry?: unknown;
}

/**
 * Sets a dotted path (`a.b."c.d"`) in the JSON context, merging into what is there (Kyverno
 * AddVariable). Objects along the path are copied first: `request.object` is the evaluated
 * resource itself, and a values file that overrides `request.oldObject.x` must not change it.
 */
export function setVariable(data: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = splitPath(dotted);
  let node = data;
  for (const p of parts.slice(0, -1)) {
    const next = node[p];
    node[p] = next !== null && typeof next === 'object' && !Array.isArray(next) ? { ...next } : {};
    node = node[p] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

function splitPath(path: string): string[] {
  const parts: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|([^.]+)/g;
  for (const m of path.matchAll(re)) parts.push(m[1] !== undefined ? m[1] : m[2]!);
  return parts;
}

export function loadContext(entries: unknown, ctx: SubstitutionContext, sources: ContextSources): void {
  if (!Array.isArray(entries)) return;
  for (const entry of entries as Entry[]) {
    if (!entry?.name) throw new ContextError('context entry without a name');
    const value = resolve(entry, ctx, sources);
    if (value !== undefined) setVariable(ctx.data, entry.name, value);
  }
}

function resolve(entry: Entry, ctx: SubstitutionContext, sources: ContextSources): unknown {
  if (entry.variable) {
    const v = entry.variable;
    const fallback = () => {
      if (v.default === undefined) return undefined;
      return substituteAll(v.default, ctx);
    };
    let result: unknown = null;
    try {
      const value = v.value === undefined ? undefined : substituteAll(v.value, ctx);
      if (v.jmesPath) {
        const path = substituteAll(v.jmesPath, ctx) as string;
        result = value === undefined ? query(path, ctx.data) : query(path, value);
      } else result = value ?? null;
    } catch (err) {
      const d = fallback();
      if (d !== undefined) return d;
      throw new ContextError(`failed to load context variable ${entry.name}: ${(err as Error).message}`);
    }
    if (result === null) {
      const d = fallback();
      if (d !== undefined) return d;
    }
    return result;
  }
  if (entry.configMap) {
    if (!sources.cluster) return undefined;
    const cm = substituteAll(entry.configMap, ctx) as { name: string; namespace?: string };
    const found = sources.objects.find(
      (o) =>
        o.kind === 'ConfigMap' &&
        o.metadata.name === cm.name &&
        (o.metadata.namespace ?? 'default') === (cm.namespace || 'default'),
    );
    return found ? { data: found.data ?? {}, metadata: found.metadata } : undefined;
  }
  if (entry.apiCall) {
    const call = substituteAll(entry.apiCall, ctx) as NonNullable<Entry['apiCall']>;
    const url = call.service?.url ?? call.urlPath ?? '';
    const method = (call.method ?? 'GET').toUpperCase();
    const mock =
      sources.apiCallResponses.find((m) => m.url === url && (m.method ?? '').toUpperCase() === method) ??
      sources.apiCallResponses.find((m) => m.url === url && !m.method);
    let body: unknown;
    if (mock) {
      const status = mock.statusCode ?? 200;
      if (status < 200 || status >= 300)
        throw new ContextError(`HTTP ${status} from apiCall mock for context entry "${entry.name}"`);
      body = mock.body;
    } else if (method === 'GET' && call.urlPath && sources.cluster)
      body = kubeGet(call.urlPath, sources.objects);
    if (body === undefined) return undefined;
    return call.jmesPath ? query(call.jmesPath, body) : body;
  }
  if (entry.globalReference) {
    const ref = substituteAll(entry.globalReference, ctx) as NonNullable<Entry['globalReference']>;
    if (!Object.hasOwn(sources.globalContextEntries, ref.name)) return undefined;
    const data = sources.globalContextEntries[ref.name];
    return ref.jmesPath ? query(ref.jmesPath, data) : data;
  }
  return undefined;
}

/**
 * `/api/v1/namespaces/{ns}/{resource}[/{name}]` and `/apis/{group}/{version}/…`: a List or one
 * object from the known objects, matched by the plural of the kind.
 */
function kubeGet(path: string, objects: readonly KubeObject[]): unknown {
  const m =
    /^\/(?:api\/v1|apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?\/([a-z0-9]+)(?:\/([^/?]+))?(?:\?.*)?$/.exec(
      path,
    );
  if (!m) return undefined;
  const [, namespace, resource, name] = m;
  const plural = (kind: string) => {
    const k = kind.toLowerCase();
    return k.endsWith('s') ? `${k}es` : k.endsWith('y') ? `${k.slice(0, -1)}ies` : `${k}s`;
  };
  const items = objects.filter(
    (o) => plural(o.kind) === resource && (!namespace || (o.metadata.namespace ?? 'default') === namespace),
  );
  if (name) return items.find((o) => o.metadata.name === name);
  return { apiVersion: 'v1', kind: 'List', items, metadata: {} };
}

export { query };
