import { describe, expect, it } from 'vitest';
import { substituteString } from './substitute.js';

const ctx = (data: Record<string, unknown>, isDelete = false) => ({ data, isDelete });

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
