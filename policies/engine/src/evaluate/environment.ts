import type { ResourceProvider } from '../cel/lib/kyverno.js';
import { kyvernoInputs, type ValuesDoc } from '../jmespath/test-values.js';
import type { KubeObject } from '../kube/objects.js';
import { ResourceMap, splitApiVersion } from '../kube/resource-map.js';
import type { EvalEnvironment } from './types.js';

export interface EnvironmentOptions {
  resources?: ResourceMap;
  /** Extra namespace labels (a kyverno test values file's `namespaceSelector` list). */
  namespaceLabels?: Record<string, Record<string, string>>;
  /** Namespace objects for CEL `namespaceObject` (values file `namespaces:`). */
  namespaces?: KubeObject[];
  /** Objects `resource.Get/List` may return besides the evaluated ones (a test context file). */
  lookupObjects?: KubeObject[];
  /** Whether the evaluated objects themselves answer lookups and namespace labels (the gate: yes). */
  objectsAreCluster?: boolean;
  /** `image.GetMetadata` answers, keyed by image (a test context file's `images:`). */
  images?: ReadonlyMap<string, Record<string, unknown>>;
  /** `http.Get/Post` answers keyed `METHOD:url` or `url` (a test's `apiCallResponses:`). */
  httpResponses?: ReadonlyMap<string, unknown>;
  /** A kyverno test values file, for JMESPath rules' variables and context mocks. */
  values?: ValuesDoc;
}

/**
 * The world around the evaluated objects: in the gate, the environment's own rendered objects
 * (Namespace labels for namespaceSelector, lookups for resource.Get/List, Rollout workloadRefs); in
 * `kyverno test`, only what the values and context files provide
 * (docs/design/policy-gate.md §What the CLI feeds the engine).
 */
export function buildEnvironment(
  objects: readonly KubeObject[],
  options: EnvironmentOptions = {},
): EvalEnvironment {
  const resources = options.resources ?? new ResourceMap();
  const world = [...(options.objectsAreCluster ? objects : []), ...(options.lookupObjects ?? [])];
  for (const o of world) if (o.kind === 'CustomResourceDefinition') resources.addCrd(o);
  const nsObjects = new Map<string, KubeObject>();
  for (const o of [...world, ...(options.namespaces ?? [])]) {
    if (o.kind === 'Namespace' && o.apiVersion === 'v1' && o.metadata.name) nsObjects.set(o.metadata.name, o);
  }
  const byResource = new Map<string, KubeObject[]>();
  for (const o of world) {
    const info = resources.lookup(o.apiVersion, o.kind);
    if (!info) continue;
    const key = `${info.group}/${info.resource}`;
    const list = byResource.get(key) ?? [];
    list.push(o);
    byResource.set(key, list);
  }
  const provider: ResourceProvider = {
    list(apiVersion, resource, namespace) {
      const { group } = splitApiVersion(apiVersion);
      const list = byResource.get(`${group}/${resource}`) ?? [];
      return namespace ? list.filter((o) => (o.metadata.namespace ?? '') === namespace) : list;
    },
    get(apiVersion, resource, namespace, name) {
      return provider.list(apiVersion, resource, namespace).find((o) => o.metadata.name === name);
    },
    imageData: (image) => options.images?.get(image),
    httpResponse: (method, url) =>
      options.httpResponses?.get(`${method}:${url}`) ?? options.httpResponses?.get(url),
  };
  return {
    resources,
    provider,
    kyverno: kyvernoInputs(options.values ?? {}, world),
    namespaceLabels(namespace) {
      return options.namespaceLabels?.[namespace] ?? nsObjects.get(namespace)?.metadata.labels ?? {};
    },
    namespaceObject(namespace) {
      return (
        nsObjects.get(namespace) ?? { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }
      );
    },
    workload(namespace, ref) {
      const kind = ref.kind ?? 'Deployment';
      return [...objects, ...world].find(
        (o) =>
          o.kind === kind &&
          o.metadata.name === ref.name &&
          (o.metadata.namespace ?? 'default') === namespace,
      );
    },
  };
}
