import { type Environment, Optional } from '@marcbachmann/cel-js';
import { registerNamespace } from './namespace.js';

/**
 * Kubernetes CEL list library (isSorted, sum, min, max, indexOf, lastIndexOf) and the cel-go
 * lists extension (slice, flatten, distinct, sort, reverse, first, last, lists.range).
 * https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-list-library
 */
export function registerLists(env: Environment): void {
  registerNamespace(env, 'lists', 'ListsNamespace');
  env
    .registerFunction('list.isSorted(): bool', (l: unknown[]) =>
      l.every((v, i) => i === 0 || compare(l[i - 1], v) <= 0),
    )
    .registerFunction('list.sum(): dyn', (l: unknown[]) => sum(l))
    .registerFunction('list.min(): dyn', (l: unknown[]) => extreme(l, -1))
    .registerFunction('list.max(): dyn', (l: unknown[]) => extreme(l, 1))
    .registerFunction('list.indexOf(dyn): int', (l: unknown[], v: unknown) =>
      BigInt(l.findIndex((x) => equal(x, v))),
    )
    .registerFunction('list.lastIndexOf(dyn): int', (l: unknown[], v: unknown) =>
      BigInt(l.findLastIndex((x) => equal(x, v))),
    )
    .registerFunction('list.slice(int, int): list', (l: unknown[], a: bigint, b: bigint) => {
      if (a < 0n || b > BigInt(l.length) || a > b) throw new Error(`slice(${a}, ${b}) out of range`);
      return l.slice(Number(a), Number(b));
    })
    .registerFunction('list.flatten(): list', (l: unknown[]) =>
      l.flatMap((v) => (Array.isArray(v) ? v : [v])),
    )
    .registerFunction('list.distinct(): list', (l: unknown[]) =>
      l.filter((v, i) => l.findIndex((x) => equal(x, v)) === i),
    )
    .registerFunction('list.sort(): list', (l: unknown[]) => [...l].sort(compare))
    .registerFunction('list.reverse(): list', (l: unknown[]) => [...l].reverse())
    .registerFunction('list.first(): optional', (l: unknown[]) => optionalOf(l[0], l.length > 0))
    .registerFunction('list.last(): optional', (l: unknown[]) => optionalOf(l.at(-1), l.length > 0))
    .registerFunction('ListsNamespace.range(int): list<int>', (_: unknown, n: bigint) =>
      Array.from({ length: Number(n) }, (_v, i) => BigInt(i)),
    );
}

function optionalOf(value: unknown, present: boolean): Optional<unknown> {
  return present ? Optional.of(value) : Optional.none();
}

function sum(l: unknown[]): unknown {
  if (l.length === 0) return 0n;
  if (l.every((v) => typeof v === 'bigint')) return (l as bigint[]).reduce((a, b) => a + b, 0n);
  if (l.every((v) => typeof v === 'number')) return (l as number[]).reduce((a, b) => a + b, 0);
  throw new Error('no such overload: sum() needs a list of one numeric type');
}

function extreme(l: unknown[], sign: number): unknown {
  if (l.length === 0) throw new Error('min/max of an empty list');
  return l.reduce((best, v) => (compare(v, best) * sign > 0 ? v : best));
}

export function compare(a: unknown, b: unknown): number {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  throw new Error(`no such overload: cannot compare ${typeof a} and ${typeof b}`);
}

function equal(a: unknown, b: unknown): boolean {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return Number(a) === Number(b);
  }
  return JSON.stringify(a, bigintSafe) === JSON.stringify(b, bigintSafe);
}

function bigintSafe(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? Number(v) : v;
}
