import type { KubeObject } from '../../kube/objects.js';

/**
 * What Kyverno's cluster- and network-bound CEL libraries read, answered offline: objects for
 * `resource.get/list` (the rendered environment in the gate; a `kyverno test` context file or
 * `clusterResources:` otherwise), image metadata for `image.GetMetadata` (the context file's
 * `images:`), and canned responses for `http.Get/Post` (the test's `apiCallResponses:`).
 * Mirrors the CLI's fake context provider (kyverno v1.19.0 pkg/cel/libs/fake_context.go).
 */
export interface ResourceProvider {
  get(apiVersion: string, resource: string, namespace: string, name: string): KubeObject | undefined;
  list(apiVersion: string, resource: string, namespace: string): KubeObject[];
  /** Image metadata keyed by the exact image string (context file `images[].image`). */
  imageData?(image: string): Record<string, unknown> | undefined;
  /** A mocked HTTP response: `METHOD:url` first, then the bare url (kyverno http_mock.go). */
  httpResponse?(method: 'GET' | 'POST', url: string): unknown;
}

/** Set by the evaluator before each evaluation; CEL handlers have no per-call context. */
export const resourceScope: { current: ResourceProvider } = {
  current: { get: () => undefined, list: () => [] },
};
