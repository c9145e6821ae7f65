import { describe, expect, it } from 'vitest';
import { previewKustomization } from './preview.js';
import type { RenderedObject } from './types.js';

describe('preview kustomization', () => {
  const obj = (path: string) => ({ path }) as RenderedObject;

  it('lists every preview file, sorted, relative to gitops/preview/', () => {
    const [[path, text]] = previewKustomization([
      obj('preview/worker/deployment-worker.yaml'),
      obj('argocd/applicationset-payday-preview.yaml'),
      obj('preview/api/service-api.yaml'),
    ]) as [[string, string]];
    expect(path).toBe('preview/kustomization.yaml');
    expect(text).toContain('resources:\n  - api/service-api.yaml\n  - worker/deployment-worker.yaml\n');
  });

  it('is not written when nothing is previewed', () => {
    expect(previewKustomization([obj('argocd/appproject-preview.yaml')])).toEqual([]);
  });
});
