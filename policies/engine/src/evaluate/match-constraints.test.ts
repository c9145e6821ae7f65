import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube/objects.js';
import { matchResourcesSchema } from '../policy/schema.js';
import { buildEnvironment } from './environment.js';
import { compileMatchConstraints, matchableResources } from './match-constraints.js';
import type { Admission } from './types.js';

const rule = (resources: string[]) => ({
  apiGroups: ['', 'apps'],
  apiVersions: ['v1'],
  operations: ['CREATE', 'UPDATE'],
  resources,
});
const constraints = (resources: string[][], options?: { emptyRulesMatchAll?: boolean }) =>
  compileMatchConstraints(matchResourcesSchema.parse({ resourceRules: resources.map(rule) }), options);

const admission = (kind: string, resource: string, group = ''): Admission => {
  const object: KubeObject = { apiVersion: 'v1', kind, metadata: { name: 'x', namespace: 'ns' } };
  return {
    operation: 'CREATE',
    resource: object,
    info: { group, version: 'v1', kind, resource, namespaced: true },
    object,
    oldObject: null,
  };
};

describe('matchableResources', () => {
  it('names every resource the resourceRules name, and no other resource ever matches', () => {
    const matcher = constraints([['pods'], ['deployments', 'replicasets']]);
    expect([...(matchableResources(matcher) ?? [])]).toEqual(['pods', 'deployments', 'replicasets']);
    const env = buildEnvironment([]);
    expect(matcher(admission('Pod', 'pods'), env)).toBe(true);
    expect(matcher(admission('Service', 'services'), env)).toBe(false);
  });

  it('is unknown (no skipping) with a wildcard or when empty rules match everything', () => {
    expect(matchableResources(constraints([['*']]))).toBeUndefined();
    expect(matchableResources(constraints([['pods'], ['*/*']]))).toBeUndefined();
    const all = constraints([], { emptyRulesMatchAll: true });
    expect(matchableResources(all)).toBeUndefined();
    expect(all(admission('Service', 'services'), buildEnvironment([]))).toBe(true);
  });
});
