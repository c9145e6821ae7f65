import type { Environment } from '@marcbachmann/cel-js';
import { parse as parseYaml } from 'yaml';
import { type ImageReference, parseImageReference } from '../image-reference.js';
import { registerHttp } from './http.js';
import { registerImageData } from './image-data.js';
import { registerNamespace } from './namespace.js';
import { registerResource } from './resource.js';
import { registerUser } from './user.js';

export { type ResourceProvider, resourceScope } from './library-context.js';

export class Image {
  constructor(readonly ref: ImageReference) {}
}

/**
 * The Kyverno CEL libraries (https://kyverno.io/docs/policy-types/cel-libraries/): image
 * reference parsing, json/yaml parsing, and the cluster- and network-bound ones answered offline
 * (`resource`, `http`, `image.GetMetadata`, see library-context.ts) plus `parseServiceAccount`.
 * `globalContext` stays absent: an expression using it fails to compile, so the gate fails
 * closed instead of guessing.
 */
export function registerKyverno(env: Environment): void {
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
    .registerFunction('YamlNamespace.parse(string): dyn', (_: unknown, s: string) => parseYaml(s));
  registerResource(env);
  registerHttp(env);
  registerImageData(env);
  registerUser(env);
}
