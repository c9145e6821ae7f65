import { describe, expect, it } from 'vitest';
import { clone } from './meta.js';

describe('clone', () => {
  it('copies a JSON value deeply: equal, and changing the copy leaves the original alone', () => {
    const original = {
      metadata: { name: 'api', labels: { app: 'api' } },
      spec: { containers: [{ name: 'api', args: ['--port', '8080'], env: null }], replicas: 2 },
    };
    const copy = clone(original);
    expect(copy).toEqual(original);
    expect(Object.keys(copy.spec)).toEqual(['containers', 'replicas']);
    copy.metadata.labels.app = 'changed';
    copy.spec.containers[0]!.args.push('--debug');
    expect(original.metadata.labels.app).toBe('api');
    expect(original.spec.containers[0]!.args).toEqual(['--port', '8080']);
  });

  it('keeps a __proto__ key as data and copies non-plain values as structuredClone does', () => {
    const withProto = JSON.parse('{"a":{"__proto__":{"x":1}}}') as { a: Record<string, unknown> };
    const copy = clone(withProto);
    expect(Object.hasOwn(copy.a, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(copy.a)).toBe(Object.prototype);
    const when = { at: new Date('2026-12-06T00:00:00Z') };
    const dated = clone(when);
    expect(dated.at).toEqual(when.at);
    expect(dated.at).not.toBe(when.at);
  });
});
