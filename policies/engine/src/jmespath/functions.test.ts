import { describe, expect, it } from 'vitest';
import { query } from './query.js';

describe('Kyverno functions: arithmetic, time, encoding, data', () => {
  it('arithmetic over numbers, quantities and durations', () => {
    expect(query('multiply(`3`, `4`)', {})).toBe(12);
    expect(query("multiply('250m', `4`)", {})).toBe('1');
    expect(query("multiply('1h', `2`)", {})).toBe('2h0m0s');
    expect(query("divide('1Gi', '512Mi')", {})).toBe(2);
    expect(query("divide('1h', '30s')", {})).toBe(120);
    expect(query('divide(`10`, `4`)', {})).toBe(2.5);
    expect(query("divide('1h', `2`)", {})).toBe('30m0s');
    expect(query('modulo(`10`, `4`)', {})).toBe(2);
    expect(query("modulo('1h', '7m0s')", {})).toBe('4m0s');
    expect(() => query('divide(`1`, `0`)', {})).toThrow('Zero divisor passed');
    expect(() => query('modulo(`1.5`, `1`)', {})).toThrow('Non-integer argument(s) passed for modulo');
    expect(() => query("add('x', `1`)", {})).toThrow("JMESPath function 'add': invalid operand");
    expect(() => query('sum(`[]`)', {})).toThrow('at least one element in the array is required');
    expect(query('round(`2.567`, `2`)', {})).toBe(2.57);
    expect(() => query('round(`2.5`, `-1`)', {})).toThrow('non-negative integer');
  });
  it('time functions on RFC 3339 times', () => {
    expect(query("time_add('2026-01-01T00:00:00Z', '1h30m')", {})).toBe('2026-01-01T01:30:00Z');
    expect(query("time_diff('2026-01-01T00:00:00Z', '2026-01-01T02:00:00Z')", {})).toBe('2h0m0s');
    expect(query("time_before('2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z')", {})).toBe(true);
    expect(query("time_after('2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z')", {})).toBe(false);
    expect(
      query("time_between('2026-01-01T12:00:00Z', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z')", {}),
    ).toBe(true);
    expect(query("time_truncate('2026-01-01T12:34:56Z', '1h')", {})).toBe('2026-01-01T12:00:00Z');
    expect(query("time_utc('2026-01-01T01:00:00+01:00')", {})).toBe('2026-01-01T00:00:00Z');
    expect(query("time_parse('', '1767225600')", {})).toBe('2026-01-01T00:00:00Z');
    expect(query("time_since('', '2026-01-01T00:00:00Z', '2026-01-01T00:00:05Z')", {})).toBe('5s');
    expect(typeof query('time_now_utc()', {})).toBe('string');
    expect(() => query("time_parse('Mon Jan 2', 'x')", {})).toThrow(
      'only the RFC 3339 layout is supported offline',
    );
    expect(() => query("time_to_cron('2026-01-01T00:00:00Z')", {})).toThrow(
      'not supported by the offline engine',
    );
  });
  it('strings, encoding and data helpers', () => {
    expect(query("base64_encode('hi')", {})).toBe('aGk=');
    expect(() => query("base64_decode('%%')", {})).toThrow('illegal base64 data');
    expect(query("compare('a', 'b')", {})).toBe(-1);
    expect(query("equal_fold('Go', 'GO')", {})).toBe(true);
    expect(query("replace('aaa', 'a', 'b', `2`)", {})).toBe('bba');
    expect(query("replace_all('a.b.c', '.', '/')", {})).toBe('a/b/c');
    expect(query("trim('--x--', '-')", {})).toBe('x');
    expect(query("truncate('abcdef', `3`)", {})).toBe('abc');
    expect(query("path_canonicalize('/a//b/../c/')", {})).toBe('/a/c');
    expect(query("pattern_match('nginx:*', 'nginx:1')", {})).toBe(true);
    expect(query('label_match(`{"a":"1"}`, `{"a":"1","b":"2"}`)', {})).toBe(true);
    expect(query("regex_replace_all_literal('a+', 'caab', '$1')", {})).toBe('c$1b');
    expect(query('parse_json(\'{"a": [1]}\')', {})).toEqual({ a: [1] });
    expect(query("parse_yaml('a: 1')", {})).toEqual({ a: 1 });
    expect(query('lookup(`{"a": 1}`, \'a\')', {})).toBe(1);
    expect(query('lookup(`[5, 6]`, `1`)', {})).toBe(6);
    expect(query('object_from_lists(`["a", "b"]`, `[1]`)', {})).toEqual({ a: 1, b: null });
    expect(query("items(`[\"x\"]`, 'i', 'v')", {})).toEqual([{ i: 0, v: 'x' }]);
    expect(query("semver_compare('1.2.3', '1.2.x')", {})).toBe(true);
    expect(query("semver_compare('2.0.0', '>=1.0.0 <2.0.0 || 3.x')", {})).toBe(false);
    expect(query("image_normalize('nginx')", {})).toBe('docker.io/library/nginx:latest');
    expect(query("is_external_url('https://example.com/x')", {})).toBe(true);
    expect(query("is_external_url('http://10.0.0.1/x')", {})).toBe(false);
    expect(query("sha256('a')", {})).toMatch(/^ca978112/);
    expect(query("to_boolean('TRUE')", {})).toBe(true);
    expect(() => query('x509_decode(`1`)', {})).toThrow('not supported by the offline engine');
  });
});
