import { describe, expect, it } from 'vitest';
import { matchPattern } from './pattern.js';
import { validateValue } from './value-pattern.js';

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
