import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { compileExpression } from './compile.js';

const run = (expression: string, object: unknown) => compileExpression(expression)({ object, variables: {} });

describe('has() over any operand', () => {
  it('accepts an index or a function call under the selected field, as cel-go does', () => {
    const object = { spec: { containers: [{ image: 'a' }, {}] } };
    expect(run('has(object.spec.containers[0].image)', object)).toBe(true);
    expect(run('has(object.spec.containers[1].image)', object)).toBe(false);
    expect(run("has(yaml.parse('a: {b: 1}').a.b)", object)).toBe(true);
    expect(run("has(yaml.parse('a: {b: 1}').a.c)", object)).toBe(false);
    expect(run('has(object.spec.containers.filter(c, has(c.image))[0].image)', object)).toBe(true);
  });

  it('still evaluates the operand strictly: an out-of-range index or missing parent is an error', () => {
    const object = { spec: { containers: [] } };
    expect(() => run('has(object.spec.containers[0].image)', object)).toThrow(/index out of bounds/);
    expect(() => run('has(object.nope.image)', object)).toThrow(/No such key: nope/);
  });

  it('still rejects has() without a field selection', () => {
    expect(() => compileExpression('has(object)')).toThrow(/has\(\) invalid argument/);
  });

  it('is needed: @marcbachmann/cel-js alone rejects these forms (drop has-macro.ts once this fails)', () => {
    const env = new Environment({ unlistedVariablesAreDyn: true });
    expect(env.parse('has(a[0].b)').check().valid).toBe(false);
    expect(env.parse('has(a.b)').check().valid).toBe(true);
  });
});
