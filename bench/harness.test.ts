import { describe, expect, it } from 'vitest';
import { compare, interleave, judge, stats } from './harness.js';

describe('bench harness', () => {
  it('computes median, min and max of odd and even sample counts', () => {
    expect(stats([5, 1, 3])).toMatchObject({ median: 3, min: 1, max: 5 });
    expect(stats([4, 1, 3, 2])).toMatchObject({ median: 2.5, min: 1, max: 4 });
    expect(() => stats([])).toThrow('no samples');
  });

  it('interleaves ours and baseline A B, B A so drift hits both', async () => {
    const order: string[] = [];
    await interleave(
      3,
      async () => {
        order.push('a');
        return 1;
      },
      async () => {
        order.push('b');
        return 2;
      },
    );
    expect(order).toEqual(['a', 'b', 'b', 'a', 'a', 'b']);
  });

  it('judges a ratio against its goal', () => {
    const m = compare('x', 'ms', { ours: stats([2]), baseline: stats([4]) }, 'base', {
      op: '<=',
      value: 0.5,
    });
    expect(m.ratio).toBe(0.5);
    expect(m.met).toBe(true);
    expect(judge({ op: '>=', value: 2 }, 1.9)).toBe(false);
  });
});
