import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseSimpleMapping } from './simple-mapping.js';

const CORE = { schema: jsyaml.CORE_SCHEMA };
const D = `sha256:${'ab'.repeat(32)}`;

/** Texts the fast reader accepts: each must read exactly as js-yaml's core schema reads it. */
const ACCEPTED: Record<string, string> = {
  appBlock: `  api:\n    version: 1.3330.0\n    image: ghcr.io/payday/api@${D}\n    config:\n      FEATURE_API_V5: "on"\n`,
  noFinalNewline: `  worker:\n    version: 1.9.3\n    image: ghcr.io/payday/worker@${D}`,
  topLevel: 'promotesFrom: staging\n',
  scalars:
    'a:\n  nul: null\n  Nul: Null\n  NUL: NULL\n  t: true\n  T: True\n  TT: TRUE\n  f: false\n  F: False\n  FF: FALSE\n  zero: 0\n  n: 10\n  big: 123456789012345\n  semver: 1.4.2\n  four: 1.2.3.4\n  word: on\n  yes: yes\n  path: /var/lib\n  url: http://x.example:8080/a\n  under: _x\n  dq: "a b # c"\n  sq: \'it is "fine"\'\n  empty: ""\n',
  nestedAndNull: 'a:\n  b:\n    c:\n      d: 1\n  e:\n  f: x\ng:\n',
  dottedKeys: 'apps:\n  api.v2:\n    max-replicas: 3\n',
};

/** Texts outside the narrow shape: the reader must leave them to js-yaml. */
const DECLINED: Record<string, string> = {
  comment: 'a: 1 # why\n',
  commentLine: 'a:\n  # why\n  b: 1\n',
  blankLine: 'a: 1\n\nb: 2\n',
  flow: 'a: { b: 1 }\n',
  sequence: 'a:\n  - 1\n',
  anchor: 'a: &x 1\n',
  alias: 'a: *x\n',
  tag: 'a: !!str 1\n',
  tab: 'a:\t1\n',
  crlf: 'a: 1\r\n',
  float: 'a: 1.5\n',
  exponent: 'a: 1e3\n',
  hex: 'a: 0x1F\n',
  octal: 'a: 0o17\n',
  leadingZero: 'a: 0755\n',
  signed: 'a: -1\n',
  infinity: 'a: .inf\n',
  tilde: 'a: ~\n',
  escaped: 'a: "x\\ty"\n',
  singleQuoteEscape: "a: 'it''s'\n",
  multiWord: 'a: two words\n',
  trailingSpace: 'a: 1 \n',
  duplicate: 'a: 1\na: 2\n',
  deeperAfterValue: 'a: 1\n  b: 2\n',
  badDedent: 'a:\n    b: 1\n  c: 2\n',
  nullKey: 'null: 1\n',
  boolKey: 'True: 1\n',
  proto: '__proto__: 1\n',
  quotedKey: '"a": 1\n',
  colonValue: 'a: b:\n',
  documentStart: '---\na: 1\n',
  blockScalar: 'a: |\n  x\n',
  empty: '',
};

describe('parseSimpleMapping', () => {
  for (const [name, text] of Object.entries(ACCEPTED)) {
    it(`reads "${name}" as js-yaml's core schema does`, () => {
      const fast = parseSimpleMapping(text);
      expect(fast).toBeDefined();
      expect(fast).toStrictEqual(jsyaml.load(text, CORE));
      expect(Object.keys(fast!)).toEqual(Object.keys(jsyaml.load(text, CORE) as object));
    });
  }

  for (const [name, text] of Object.entries(DECLINED)) {
    it(`leaves "${name}" to js-yaml`, () => {
      expect(parseSimpleMapping(text)).toBeUndefined();
    });
  }

  it('keeps numbers, booleans and nulls typed as the core schema types them', () => {
    const v = parseSimpleMapping(ACCEPTED.scalars!)!.a as Record<string, unknown>;
    expect([v.n, v.zero, v.t, v.FF, v.nul, v.semver, v.word]).toEqual([
      10,
      0,
      true,
      false,
      null,
      '1.4.2',
      'on',
    ]);
  });
});
