import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube/objects.js';
import { loadContext } from './context.js';
import { kyvernoInputs } from './test-values.js';

const cm = (name: string, namespace: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data,
});

describe('context entries', () => {
  const sources = kyvernoInputs(
    {
      apiCallResponses: [
        { urlPath: '/apis/example/v1/things', response: { body: { items: [1, 2] } } },
        { urlPath: '/fail', response: { statusCode: 500, body: null } },
      ],
      globalContextEntries: [{ name: 'regions', data: { eu: true } }],
    },
    [cm('settings', 'platform', { mode: 'strict' }), cm('other', 'team', {})],
  ).sources;
  it('loads configMap, apiCall, globalReference and Kubernetes GETs from known objects', () => {
    const ctx = { data: {} as Record<string, unknown>, isDelete: false };
    loadContext(
      [
        { name: 'settings', configMap: { name: 'settings', namespace: 'platform' } },
        { name: 'count', apiCall: { urlPath: '/apis/example/v1/things', jmesPath: 'length(items)' } },
        {
          name: 'cms',
          apiCall: { urlPath: '/api/v1/namespaces/team/configmaps', jmesPath: 'items[].metadata.name' },
        },
        { name: 'one', apiCall: { urlPath: '/api/v1/namespaces/platform/configmaps/settings' } },
        { name: 'eu', globalReference: { name: 'regions', jmesPath: 'eu' } },
        { name: 'missing', configMap: { name: 'nope' } },
        { name: 'nested.value', variable: { value: '{{ settings.data.mode }}' } },
      ],
      ctx,
      sources,
    );
    expect(ctx.data).toMatchObject({
      settings: { data: { mode: 'strict' } },
      count: 2,
      cms: ['other'],
      one: { metadata: { name: 'settings' } },
      eu: true,
      nested: { value: 'strict' },
    });
    expect(ctx.data).not.toHaveProperty('missing');
    expect(() => loadContext([{ name: 'x', apiCall: { urlPath: '/fail' } }], ctx, sources)).toThrow(
      'HTTP 500 from apiCall mock for context entry "x"',
    );
    expect(() => loadContext([{ name: 'y', variable: { jmesPath: 'no.such' } }], ctx, sources)).toThrow(
      'failed to load context variable y: Unknown key "no" in path',
    );
  });
});
