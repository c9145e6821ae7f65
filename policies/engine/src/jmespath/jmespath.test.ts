import { describe, expect, it } from 'vitest';
import { evaluateConditions } from './conditions.js';
import { goFloatE, goFloatString, parseGoDuration } from './go-format.js';
import { imageInfo } from './images.js';
import { conditionOperator } from './operators.js';
import { matchPattern } from './pattern.js';
import { query, UnknownKeyError } from './query.js';
import { substituteString } from './substitute.js';
import { validateValue } from './value-pattern.js';

const ctx = (data: Record<string, unknown>, isDelete = false) => ({ data, isDelete });
const op = (name: string) => conditionOperator(name)!;

describe('query: Kyverno missing-key rule', () => {
  const data = { request: { object: { metadata: { name: 'a' } } } };
  it('errors on a missing key on the main path, null where Kyverno swallows it', () => {
    expect(() => query('request.object.metadata.labels.app', data)).toThrow(UnknownKeyError);
    expect(() => query('request.object.metadata.labels.app', data)).toThrow('Unknown key "labels" in path');
    expect(query("request.object.metadata.labels.app || 'none'", data)).toBe('none');
    expect(query('length(request.object.metadata.labels || `{}`)', data)).toBe(0);
    expect(query('request.object.metadata.name', data)).toBe('a');
  });
  it('registers Kyverno functions over the built-ins', () => {
    expect(query("split('a,b', ',')", {})).toEqual(['a', 'b']);
    expect(query("add('1Gi', '512Mi')", {})).toBe('1536Mi');
    expect(query("subtract('1h', '30s')", {})).toBe('59m30s');
    // Quantities parse first, so '30m' is 30 milli and cannot meet a duration.
    expect(() => query("subtract('1h', '30m')", {})).toThrow("JMESPath function 'subtract': types mismatch");
    expect(query('sum(`[1, 2, 3]`)', {})).toBe(6);
    expect(query('items(`{"b": 1, "a": 2}`, \'k\', \'v\')', {})).toEqual([
      { k: 'a', v: 2 },
      { k: 'b', v: 1 },
    ]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Go regexp template, not a JS one
    expect(query("regex_replace_all('([a-z]+)-(\\d+)', 'web-42', '${2}-$1')", {})).toBe('42-web');
    expect(() => query("to_boolean('yes')", {})).toThrow(
      "lowercase argument must be 'true' or 'false' (provided: 'yes')",
    );
  });
});

describe('substitution', () => {
  const data = {
    request: { object: { spec: { replicas: 3, name: 'x' } }, oldObject: { spec: { replicas: 1 } } },
  };
  it('keeps the type of a whole-string variable and JSON-encodes inside text', () => {
    expect(substituteString('{{ request.object.spec.replicas }}', ctx(data))).toBe(3);
    expect(substituteString('n={{ request.object.spec }}', ctx(data))).toBe('n={"name":"x","replicas":3}');
    expect(substituteString('\\{{ literal }}', ctx(data))).toBe('{{ literal }}');
  });
  it('rewrites request.object to request.oldObject on DELETE', () => {
    expect(substituteString('{{ request.object.spec.replicas }}', ctx(data, true))).toBe(1);
  });
  it('resolves nested variables innermost first, as text', () => {
    expect(substituteString("{{ to_upper('{{ request.object.spec.name }}') }}", ctx(data))).toBe('X');
  });
});

describe('operators (kyverno pkg/engine/variables/operator)', () => {
  it('Equals globs with the value as pattern and compares quantities and durations', () => {
    expect(op('Equals')('nginx:1.27', 'nginx:*')).toBe(true);
    expect(op('equals')('nginx:*', 'nginx:1.27')).toBe(false);
    expect(op('Equals')('1Gi', '1024Mi')).toBe(true);
    expect(op('Equals')('60s', '1m')).toBe(true);
    expect(op('Equals')(null, null)).toBe(false);
    expect(op('NotEquals')(null, 'x')).toBe(false);
  });
  it('In-family operators glob both ways and accept JSON list text and ranges', () => {
    expect(op('AnyIn')(['a', 'b'], ['b*'])).toBe(true);
    expect(op('AllIn')(['a', 'b'], ['a'])).toBe(false);
    expect(op('AnyNotIn')(['a', 'b'], '["a"]')).toBe(true);
    expect(op('AllNotIn')(['a', 'b'], ['c'])).toBe(true);
    expect(op('AnyIn')(5, '1-10')).toBe(true);
    expect(op('AllIn')([], ['x'])).toBe(true);
    expect(op('AnyIn')(1000000, ['1e+06'])).toBe(true);
  });
  it('numeric and Duration operators', () => {
    expect(op('GreaterThan')('2Gi', '1Gi')).toBe(true);
    expect(op('LessThan')('1.2.3', '1.10.0')).toBe(true);
    expect(op('GreaterThanOrEquals')(90, '1m')).toBe(true);
    expect(op('DurationLessThan')('30s', 60)).toBe(true);
    expect(op('DurationGreaterThan')('x', '1m')).toBe(false);
  });
  it('conditions: an empty any is false, an unknown operator an error', () => {
    expect(evaluateConditions({ any: [] }, ctx({})).result).toBe(false);
    expect(evaluateConditions({}, ctx({})).result).toBe(true);
    expect(() => evaluateConditions({ all: [{ key: 1, operator: 'Bogus', value: 1 }] }, ctx({}))).toThrow(
      'failed to create handler for condition operator Bogus',
    );
  });
});

describe('pattern leaves and anchors', () => {
  it('null counts as 0 for quantities, never for wildcards', () => {
    expect(validateValue(null, '<=2')).toBe(true);
    expect(validateValue(null, '?*')).toBe(false);
    expect(validateValue(80, '80')).toBe(true);
    expect(validateValue(3, '1-5')).toBe(true);
    expect(validateValue(7, '1!-5')).toBe(true);
    expect(validateValue('300ms', '<1s')).toBe(true);
  });
  it('reports the failing path, and error when a conditional anchor key never appeared', () => {
    expect(matchPattern({ spec: { a: 1 } }, { spec: { a: 2 } })).toEqual({
      status: 'fail',
      message: "resource value '1' does not match '2' at path /spec/a/",
      path: '/spec/a/',
    });
    expect(matchPattern({ spec: {} }, { spec: { '(x)': 1, y: 2 } }).status).toBe('skip');
    expect(matchPattern({ spec: { y: 1 } }, { spec: { 'X(y)': null } })).toMatchObject({
      status: 'fail',
      message: 'negation anchor matched in resource: /spec/y/ is not allowed',
    });
  });
});

describe('Go formatting', () => {
  it('prints floats and parses durations like Go', () => {
    expect(goFloatString(80)).toBe('80');
    expect(goFloatString(1e6)).toBe('1e+06');
    expect(goFloatE(80)).toBe('8E+01');
    expect(parseGoDuration('1h30m')).toBe(5400e9);
    expect(parseGoDuration('5')).toBeUndefined();
  });
  it('builds the images variable with docker.io defaults', () => {
    expect(imageInfo('nginx')).toEqual({
      registry: 'docker.io',
      name: 'nginx',
      path: 'nginx',
      tag: 'latest',
      reference: 'docker.io/nginx:latest',
      referenceWithTag: 'docker.io/nginx:latest',
    });
  });
});
