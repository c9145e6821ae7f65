import type { K8sObject, RenderedInput } from '../model.js';
import { GLOBAL_FOLDERS } from './gitops-dir.js';

/**
 * The renderer's in-memory objects as rehearsal input. Paths are relative to `gitops/`; an
 * object the renderer files outside any environment but under an environment-like folder (the
 * preview tree, `preview/…`) gets that folder as its environment, as `readGitopsDir` does.
 */
export function fromRendered(
  objects: readonly { path: string; object: K8sObject; environment?: string | undefined }[],
): RenderedInput[] {
  return objects.map(({ path, object, environment }) => {
    const top = path.split('/')[0]!;
    const env = environment ?? (GLOBAL_FOLDERS.has(top) ? undefined : top);
    return { path, object, ...(env ? { environment: env } : {}) };
  });
}
