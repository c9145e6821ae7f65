import { describe, expect, it } from 'vitest';
import { fromRendered } from './rendered.js';

describe('fromRendered', () => {
  it('keeps the renderer environment and derives one for environment-like global folders only', () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    expect(
      fromRendered([
        { path: 'prod/api/configmap-c.yaml', object, environment: 'prod' },
        { path: 'preview/api/configmap-c.yaml', object },
        { path: 'argocd/appproject-x.yaml', object },
        { path: 'platform/policies/validatingpolicy-x.yaml', object },
      ]).map((i) => i.environment),
    ).toEqual(['prod', 'preview', undefined, undefined]);
  });
});
