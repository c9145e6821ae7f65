import type { Environment } from '@marcbachmann/cel-js';
import { resourceScope } from './library-context.js';
import { registerNamespace } from './namespace.js';

/**
 * Kyverno's `imagedata` library (kyverno/sdk extensions/cel/libs/imagedata/lib.go):
 * `image.GetMetadata(ref)` (and `image.getMetadata` from library version 1.18 on) returns the
 * registry metadata of an image. Offline it comes from the test context file's `images:` list,
 * keyed by the exact image string, and a missing entry is an error, as in the CLI's fake
 * provider (kyverno v1.19.0 pkg/cel/libs/fake_context.go GetImageData).
 */
export function registerImageData(env: Environment): void {
  registerNamespace(env, 'image', 'ImageDataNamespace');
  const get = (_: unknown, image: string) => {
    const data = resourceScope.current.imageData?.(image);
    if (data === undefined)
      throw new Error(`failed to get image data: image data for ${image} not found in the context`);
    return data;
  };
  env
    .registerFunction('ImageDataNamespace.GetMetadata(string): dyn', get)
    .registerFunction('ImageDataNamespace.getMetadata(string): dyn', get);
}
