import type { Environment } from '@marcbachmann/cel-js';
import { resourceScope } from './library-context.js';
import { registerNamespace } from './namespace.js';

/**
 * Kyverno's `resource` library (kyverno/sdk extensions/cel/libs/resource/lib.go): `Get`, `List`
 * and `Post`, plus the lower-case `get`/`list`/`post` spellings registered from library version
 * 1.18 on. Offline, `Get`/`List` read the objects the environment provides (resourceScope) and
 * `Post` is an error: the CLI's fake provider has no server to post to (kyverno v1.19.0
 * pkg/cel/libs/fake_context.go PostResource).
 */
export function registerResource(env: Environment): void {
  registerNamespace(env, 'resource', 'ResourceNamespace');
  const get = (_: unknown, apiVersion: string, resource: string, namespace: string, name: string) => {
    const found = resourceScope.current.get(apiVersion, resource, namespace, name);
    if (!found) throw new Error(`${resource} "${name}" not found in ${apiVersion} namespace "${namespace}"`);
    return found;
  };
  const list = (_: unknown, apiVersion: string, resource: string, namespace: string) => ({
    items: resourceScope.current.list(apiVersion, resource, namespace),
  });
  const listLabelled = (
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
  };
  const post = (_: unknown, apiVersion: string, resource: string) => {
    throw new Error(`resource.post ${apiVersion} ${resource}: no API server offline`);
  };
  for (const [getName, listName, postName] of [
    ['Get', 'List', 'Post'],
    ['get', 'list', 'post'],
  ] as const) {
    env
      .registerFunction(`ResourceNamespace.${getName}(string, string, string, string): map<string, dyn>`, get)
      .registerFunction(`ResourceNamespace.${listName}(string, string, string): map<string, dyn>`, list)
      .registerFunction(
        `ResourceNamespace.${listName}(string, string, string, map<string, string>): map<string, dyn>`,
        listLabelled,
      )
      .registerFunction(
        `ResourceNamespace.${postName}(string, string, string, map<string, dyn>): map<string, dyn>`,
        post,
      )
      .registerFunction(
        `ResourceNamespace.${postName}(string, string, map<string, dyn>): map<string, dyn>`,
        post,
      );
  }
}
