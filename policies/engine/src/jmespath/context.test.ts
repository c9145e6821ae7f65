import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube/objects.js';
import { loadContext, setVariable } from './context.js';
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

describe('values in the JSON context (kyverno CLI AddVariable)', () => {
  it('splits quoted path segments and never writes through to the evaluated resource', () => {
    const object = { metadata: { labels: { a: '1' } } };
    const data: Record<string, unknown> = { request: { object, oldObject: object } };
    setVariable(data, 'request.oldObject.metadata.labels.a', '2');
    setVariable(data, 'request.object.metadata.annotations."example.com/x"', 'y');
    expect(object).toEqual({ metadata: { labels: { a: '1' } } });
    expect(data).toEqual({
      request: {
        object: { metadata: { labels: { a: '1' }, annotations: { 'example.com/x': 'y' } } },
        oldObject: { metadata: { labels: { a: '2' } } },
      },
    });
  });
  it('reads every entry of a policy listed twice, rule values over resource values over global ones', () => {
    const inputs = kyvernoInputs(
      {
        globalValues: { g: 1, r: 'global' },
        policies: [
          { name: 'p', resources: [{ name: 'one', values: { r: 'resource' } }] },
          { name: 'p', rules: [{ name: 'rule', values: { x: 2 }, foreachValues: { e: [1, 2] } }] },
        ],
      },
      [],
    );
    const one: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'one' } };
    expect(inputs.values('p', 'rule', one)).toEqual({ g: 1, r: 'resource', x: 2 });
    expect(inputs.foreachValues('p', 'rule')).toEqual({ e: [1, 2] });
    expect(inputs.sources.cluster).toBe(false);
  });
});
