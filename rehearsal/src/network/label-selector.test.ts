import { describe, expect, it } from 'vitest';
import { describeSelector, matchesSelector } from './label-selector.js';

describe('label selectors (apimachinery Requirement.Matches)', () => {
  const labels = { app: 'api', tier: 'web' };
  it('the empty selector matches every label set, matchLabels all of theirs', () => {
    expect(matchesSelector({}, {})).toBe(true);
    expect(matchesSelector({ matchLabels: { app: 'api' } }, labels)).toBe(true);
    expect(matchesSelector({ matchLabels: { app: 'api', tier: 'db' } }, labels)).toBe(false);
  });
  it.each([
    ['In', ['api', 'worker'], true],
    ['In', ['worker'], false],
    ['NotIn', ['worker'], true],
    ['NotIn', ['api'], false],
  ] as const)('app %s %j → %s', (operator, values, expected) => {
    expect(
      matchesSelector({ matchExpressions: [{ key: 'app', operator, values: [...values] }] }, labels),
    ).toBe(expected);
  });
  it('NotIn and DoesNotExist match a missing key; In and Exists do not', () => {
    const missing = (operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist') =>
      matchesSelector({ matchExpressions: [{ key: 'role', operator, values: ['x'] }] }, labels);
    expect([missing('In'), missing('NotIn'), missing('Exists'), missing('DoesNotExist')]).toEqual([
      false,
      true,
      false,
      true,
    ]);
  });
  it('matchLabels and matchExpressions are ANDed, and print readably', () => {
    const selector = {
      matchLabels: { app: 'api' },
      matchExpressions: [
        { key: 'tier', operator: 'Exists' as const },
        { key: 'x', operator: 'DoesNotExist' as const },
        { key: 'tier', operator: 'NotIn' as const, values: ['db', 'cache'] },
      ],
    };
    expect(matchesSelector(selector, labels)).toBe(true);
    expect(matchesSelector(selector, { app: 'api' })).toBe(false);
    expect(describeSelector(selector)).toBe('app=api,tier,!x,tier notin (db,cache)');
    expect(describeSelector({})).toBe('{}');
  });
});
