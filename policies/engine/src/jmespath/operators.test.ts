import { describe, expect, it } from 'vitest';
import { evaluateConditions } from './conditions.js';
import { conditionOperator } from './operators.js';

const op = (name: string) => conditionOperator(name)!;
const ctx = (data: Record<string, unknown>) => ({ data, isDelete: false });

describe('legacy In / NotIn and edge operators', () => {
  it('In/NotIn use exact membership with JSON list text', () => {
    expect(op('In')('a', ['a', 'b'])).toBe(true);
    expect(op('In')('a', '["a"]')).toBe(true);
    expect(op('NotIn')('c', ['a'])).toBe(true);
    expect(op('In')(['a', 'b'], ['a', 'b', 'c'])).toBe(true);
    expect(op('NotIn')(['a', 'z'], '["a"]')).toBe(true);
    expect(op('In')('a', 5)).toBe(false);
    expect(op('Equals')({ a: 1 }, { a: 1 })).toBe(true);
    expect(op('NotEquals')([1], [2])).toBe(true);
    expect(op('Equals')(true, 'true')).toBe(false);
    expect(op('Equals')(2, '2')).toBe(true);
    expect(op('NotEquals')(2, 'x')).toBe(true);
    expect(op('NotEquals')('1Gi', '')).toBe(true);
    expect(op('LessThanOrEquals')(3, '3')).toBe(true);
    expect(op('GreaterThan')('x', 1)).toBe(false);
    expect(op('AllIn')(['5', '6'], '1-10')).toBe(true);
    expect(op('AllNotIn')(['50'], '1-10')).toBe(true);
    expect(op('AnyNotIn')(['5'], '1-10')).toBe(false);
    expect(op('AnyIn')(['x'], 5)).toBe(false);
    expect(op('AnyIn')('x', '{"not":"a list"}')).toBe(false);
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
