import { describe, expect, it } from 'vitest';
import { type State, validate } from './validator.js';

describe('validator messages (kyverno validate_resource.go)', () => {
  const state = (resource: unknown, message = ''): State => ({
    ruleName: 'r',
    message,
    ctx: { data: { request: { object: resource } }, isDelete: false },
    sources: { objects: [], cluster: false, apiCallResponses: [], globalContextEntries: {} },
    resource,
    nesting: 0,
    foreachValues: {},
  });
  it('anyPattern reports every entry', () => {
    const s = state({ spec: { a: 1 } }, 'need a=2 or b');
    expect(validate({ anyPattern: [{ spec: { a: 2 } }, { spec: { b: '*' } }] }, s, false)).toEqual({
      status: 'fail',
      message:
        'validation error: need a=2 or b. rule r[0] failed at path /spec/a/ rule r[1] failed at path /spec/',
    });
    expect(validate({ anyPattern: [{ spec: { a: 1 } }] }, s, false)).toEqual({
      status: 'pass',
      message: "validation rule 'r' anyPattern[0] passed.",
    });
    expect(validate({ anyPattern: [{ spec: { '(x)': 1 } }] }, s, false)?.status).toBe('skip');
  });
  it('deny without a message, and substitution errors become errors', () => {
    expect(validate({ deny: {} }, state({}), false)).toEqual({
      status: 'fail',
      message: 'validation error: rule r failed',
    });
    expect(validate({ pattern: { spec: '{{ no.such }}' } }, state({}), false)).toEqual({
      status: 'error',
      message: 'variable substitution failed: failed to resolve no.such: Unknown key "no" in path',
    });
    expect(
      validate(
        { preconditions: { all: [{ key: '{{ no.such }}', operator: 'Equals', value: 1 }] } },
        state({}),
        false,
      )?.status,
    ).toBe('error');
  });
});
