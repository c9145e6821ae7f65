import { describe, expect, it } from 'vitest';
import { podTemplateHash } from './hash.js';
import { ExpansionError } from './types.js';

describe('podTemplateHash', () => {
  it('has the cluster shape: safe-encoded characters, stable, new for every template change', () => {
    const template = { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api' }] } };
    const hash = podTemplateHash(template);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(podTemplateHash(structuredClone(template))).toBe(hash);
    expect(podTemplateHash({ ...template, metadata: { labels: { app: 'api', v: '2' } } })).not.toBe(hash);
  });

  it('fails closed when there is no template to hash', () => {
    expect(() => podTemplateHash(undefined)).toThrow(
      new ExpansionError('no pod template to hash (spec.template is missing)'),
    );
  });
});
