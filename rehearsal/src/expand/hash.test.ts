import { describe, expect, it } from 'vitest';
import { canonicalJson, fnv32a, podTemplateHash, safeEncodeString } from './hash.js';
import { ExpansionError } from './types.js';

describe('podTemplateHash', () => {
  it('has the cluster shape: safe-encoded characters, stable, new for every template change', () => {
    const template = { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api' }] } };
    const hash = podTemplateHash(template);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(podTemplateHash(structuredClone(template))).toBe(hash);
    expect(podTemplateHash({ ...template, metadata: { labels: { app: 'api', v: '2' } } })).not.toBe(hash);
  });

  it('is FNV-32a of the key-sorted JSON, hashed as it is written (non-ASCII and undefined values too)', () => {
    const templates = [
      { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', args: ['--x'] }] } },
      { metadata: { annotations: { note: 'café ☕ 𝄞', empty: '' } }, spec: { z: 1, a: [true, null, 2.5] } },
      { spec: { dropped: undefined, list: [undefined, 'é'] } },
    ];
    for (const t of templates) {
      expect(podTemplateHash(t)).toBe(safeEncodeString(String(fnv32a(canonicalJson(t)))));
    }
  });

  it('fails closed when there is no template to hash', () => {
    expect(() => podTemplateHash(undefined)).toThrow(
      new ExpansionError('no pod template to hash (spec.template is missing)'),
    );
  });
});
