import type { Environment } from '@marcbachmann/cel-js';
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../../kube/objects.js';
import { type ImageReference, parseImageReference } from '../image-reference.js';
import { registerNamespace } from './namespace.js';

/**
 * The Kyverno CEL libraries that work offline (https://kyverno.io/docs/policy-types/cel-libraries/):
 * image reference parsing, json/yaml parsing, and `resource.Get/List` answered from the objects of
 * the same rendered environment (or a `kyverno test` context file) instead of a cluster.
 * Network-bound functions (http.*, image.GetMetadata, globalContext) are deliberately absent: an
 * expression using them fails to compile, so the gate fails closed instead of guessing.
 */
export interface ResourceProvider {
  get(apiVersion: string, resource: string, namespace: string, name: string): KubeObject | undefined;
  list(apiVersion: string, resource: string, namespace: string): KubeObject[];
}

/** Set by the evaluator before each evaluation; CEL handlers have no per-call context. */
export const resourceScope: { current: ResourceProvider } = {
  current: { get: () => undefined, list: () => [] },
};

export class Image {
  constructor(readonly ref: ImageReference) {}
}

export function registerKyverno(env: Environment): void {
  registerNamespace(env, 'resource', 'ResourceNamespace');
  registerNamespace(env, 'json', 'JsonNamespace');
  registerNamespace(env, 'yaml', 'YamlNamespace');
  env
    .registerType('Image', Image)
    .registerFunction('image(string): Image', (s: string) => new Image(parseImageReference(s)))
    .registerFunction('isImage(string): bool', (s: string) => {
      try {
        parseImageReference(s);
        return true;
      } catch {
        return false;
      }
    })
    .registerFunction('Image.registry(): string', (i: Image) => i.ref.registry)
    .registerFunction('Image.repository(): string', (i: Image) => i.ref.repository)
    .registerFunction('Image.identifier(): string', (i: Image) => i.ref.identifier)
    .registerFunction('Image.tag(): string', (i: Image) => i.ref.tag)
    .registerFunction('Image.digest(): string', (i: Image) => i.ref.digest)
    .registerFunction('Image.containsDigest(): bool', (i: Image) => i.ref.digest !== '')
    .registerFunction('parseImageReference(string): map<string, string>', (s: string) => {
      const r = parseImageReference(s);
      return {
        registry: r.registry,
        path: r.repository,
        repository: r.repository,
        tag: r.tag,
        digest: r.digest,
      };
    })
    .registerFunction('JsonNamespace.unmarshal(string): dyn', (_: unknown, s: string) => JSON.parse(s))
    .registerFunction('YamlNamespace.parse(string): dyn', (_: unknown, s: string) => parseYaml(s))
    .registerFunction(
      'ResourceNamespace.Get(string, string, string, string): map<string, dyn>',
      (_: unknown, apiVersion: string, resource: string, namespace: string, name: string) => {
        const found = resourceScope.current.get(apiVersion, resource, namespace, name);
        if (!found)
          throw new Error(`${resource} "${name}" not found in ${apiVersion} namespace "${namespace}"`);
        return found;
      },
    )
    .registerFunction(
      'ResourceNamespace.List(string, string, string): map<string, dyn>',
      (_: unknown, apiVersion: string, resource: string, namespace: string) => ({
        items: resourceScope.current.list(apiVersion, resource, namespace),
      }),
    )
    .registerFunction(
      'ResourceNamespace.List(string, string, string, map<string, string>): map<string, dyn>',
      (
        _: unknown,
        apiVersion: string,
        resource: string,
        namespace: string,
        labels: Map<string, string> | Record<string, string>,
      ) => {
        const want = Object.entries(labels instanceof Map ? Object.fromEntries(labels) : labels);
        return {
          items: resourceScope.current
            .list(apiVersion, resource, namespace)
            .filter((o) => want.every(([k, v]) => o.metadata.labels?.[k] === v)),
        };
      },
    );
}
