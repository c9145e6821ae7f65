import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { canonical } from './canonical.js';
import { renderEnvironments } from './render.js';
import { emitYaml } from './yaml-emit.js';

const reference = (v: unknown) => stringify(v, { lineWidth: 0, aliasDuplicateObjects: false });

/** Strings that exercise every rule: plain, quoted either way, block scalars, and what is declined. */
const STRINGS = [
  'plain',
  'with space',
  'app.kubernetes.io/name',
  'http://host:8080/path',
  '',
  '*',
  '80',
  '-1',
  '1.5',
  '1e3',
  '.inf',
  '.nan',
  '0x1F',
  '0o17',
  'true',
  'False',
  'null',
  'NULL',
  '~',
  "it's",
  'say "hi"',
  `both ' and "`,
  "'quoted' start",
  '"double" start',
  'a: b',
  'a #b',
  'a#b',
  'ends:',
  ' lead',
  'trail ',
  '- x',
  '-',
  '?',
  '? x',
  '[x]',
  '{x: 1}',
  '@x',
  '%x',
  '!tag',
  '&anchor',
  '|pipe',
  '>fold',
  '`tick',
  '---',
  '--- x',
  '...',
  'back\\slash',
  'tab\there',
  'ctl\u0001char',
  'del\u007f',
  'é ü …',
  '😀',
  'multi\nline',
  'multi\nline\n',
  'multi\nline\n\n',
  'multi\n\n\nblank lines',
  '\nleading newline',
  ' indented\nsecond',
  'trailing space \nnext',
  'next\n indented',
  'ends with space\nx ',
  'ends with tab\nx\t',
  '{\n  "json": "inside",\n  "n": 1\n}\n',
  "CEL: object.?spec.orValue('') == ''\n&& true",
  '---\nlooks like a document',
  'a\n---\nb',
  'x'.repeat(1100),
];

const VALUES: unknown[] = [
  0,
  42,
  -7,
  1.5,
  -0,
  1e21,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  null,
  [],
  {},
  ['a', ['b', ['c']], { k: 'v' }],
  [{ a: 1, b: { c: [1, 2] } }, [], {}],
];

/** A deterministic generator (a linear congruential sequence), so a failure reproduces. */
function generator(seed: number) {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const pick = <T>(a: readonly T[]): T => a[Math.floor(next() * a.length)]!;
  const value = (depth: number): unknown => {
    const r = next();
    if (depth > 3 || r < 0.4) return next() < 0.7 ? pick(STRINGS) : pick(VALUES);
    if (r < 0.7) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
    return Object.fromEntries(
      Array.from({ length: Math.floor(next() * 4) }, () => [pick(STRINGS), value(depth + 1)]),
    );
  };
  return () => ({ [pick(STRINGS)]: value(0), kind: value(1) });
}

describe('emitYaml', () => {
  it('writes every rendered object byte for byte as yaml does, declining none', async () => {
    const r = await renderEnvironments({ validate: false });
    const objects = [...r.environments.flatMap((e) => e.objects), ...r.global];
    expect(objects.length).toBeGreaterThan(200);
    for (const o of objects) {
      const c = canonical(o.object);
      expect(emitYaml(c), o.path).toBe(reference(c));
    }
  });

  it('matches yaml for every string as a value, a key and a sequence item, or declines', () => {
    let written = 0;
    for (const s of STRINGS) {
      for (const v of [
        { k: s },
        { [s || 'empty']: 'v', [`${s}x`]: 1 },
        { k: [s, [s], { n: s }] },
        { a: { b: s } },
      ]) {
        const got = emitYaml(v);
        if (got === undefined) continue;
        written++;
        expect(got, JSON.stringify(v)).toBe(reference(v));
      }
    }
    // Most shapes take the fast path; the few it declines are the ones yaml itself rewrites.
    expect(written).toBeGreaterThan(STRINGS.length * 3);
  });

  it('declines what it does not write: non-integer numbers, control characters, edge whitespace in blocks', () => {
    expect(emitYaml({ k: 1.5 })).toBeUndefined();
    expect(emitYaml({ k: -0 })).toBeUndefined();
    expect(emitYaml({ k: Number.NaN })).toBeUndefined();
    expect(emitYaml({ k: 'ctl\u0001char' })).toBeUndefined();
    expect(emitYaml({ k: ' indented\nsecond' })).toBeUndefined();
    expect(emitYaml({ k: 'multi\nline\n\n' })).toBeUndefined();
    expect(emitYaml({ k: new Date(0) })).toBeUndefined();
    expect(emitYaml({ k: [undefined] })).toBeUndefined();
    expect(emitYaml({ ['x'.repeat(1100)]: 1 })).toBeUndefined();
    expect(emitYaml(['top-level sequence'])).toBeUndefined();
    expect(emitYaml({})).toBeUndefined();
  });

  it('matches yaml over generated nested values', () => {
    const next = generator(20261206);
    let written = 0;
    for (let i = 0; i < 3000; i++) {
      const v = next();
      const got = emitYaml(v);
      if (got === undefined) continue;
      written++;
      expect(got, JSON.stringify(v)).toBe(reference(v));
    }
    expect(written).toBeGreaterThan(300);
  });
});
