import type { Environment } from '@marcbachmann/cel-js';
import { compare } from './lists.js';
import { registerNamespace, toNumber } from './namespace.js';

/**
 * cel-go extension libraries Kubernetes enables: math (greatest/least/abs/ceil/floor/round/
 * sign/isNaN/isInf), sets (contains/equivalent/intersects) and encoders (base64).
 * https://pkg.go.dev/github.com/google/cel-go/ext
 */
export function registerMathSetsEncoders(env: Environment): void {
  registerNamespace(env, 'math', 'MathNamespace');
  registerNamespace(env, 'sets', 'SetsNamespace');
  registerNamespace(env, 'base64', 'Base64Namespace');
  const pick = (sign: number) => (values: unknown[]) => {
    if (values.length === 0) throw new Error('math.greatest()/least() requires at least one argument');
    return values.reduce((best, v) => (compare(v, best) * sign > 0 ? v : best));
  };
  for (const [name, sign] of [
    ['greatest', 1],
    ['least', -1],
  ] as const) {
    env
      .registerFunction(`MathNamespace.${name}(dyn): dyn`, (_: unknown, a: unknown) =>
        pick(sign)(Array.isArray(a) ? a : [a]),
      )
      .registerFunction(`MathNamespace.${name}(dyn, dyn): dyn`, (_: unknown, a: unknown, b: unknown) =>
        pick(sign)([a, b]),
      )
      .registerFunction(`MathNamespace.${name}(dyn, dyn, dyn): dyn`, (_: unknown, ...v: unknown[]) =>
        pick(sign)(v),
      );
  }
  env
    .registerFunction('MathNamespace.abs(int): int', (_: unknown, v: bigint) => (v < 0n ? -v : v))
    .registerFunction('MathNamespace.abs(double): double', (_: unknown, v: number) => Math.abs(v))
    .registerFunction('MathNamespace.ceil(double): double', (_: unknown, v: number) => Math.ceil(v))
    .registerFunction('MathNamespace.floor(double): double', (_: unknown, v: number) => Math.floor(v))
    .registerFunction(
      'MathNamespace.round(double): double',
      (_: unknown, v: number) => Math.sign(v) * Math.round(Math.abs(v)),
    )
    .registerFunction('MathNamespace.sign(int): int', (_: unknown, v: bigint) =>
      v > 0n ? 1n : v < 0n ? -1n : 0n,
    )
    .registerFunction('MathNamespace.sign(double): double', (_: unknown, v: number) => Math.sign(toNumber(v)))
    .registerFunction('MathNamespace.isNaN(double): bool', (_: unknown, v: number) => Number.isNaN(v))
    .registerFunction(
      'MathNamespace.isInf(double): bool',
      (_: unknown, v: number) => !Number.isFinite(v) && !Number.isNaN(v),
    );

  const has = (list: unknown[], v: unknown) => list.some((x) => same(x, v));
  env
    .registerFunction('SetsNamespace.contains(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) =>
      b.every((v) => has(a, v)),
    )
    .registerFunction(
      'SetsNamespace.equivalent(list, list): bool',
      (_: unknown, a: unknown[], b: unknown[]) => b.every((v) => has(a, v)) && a.every((v) => has(b, v)),
    )
    .registerFunction(
      'SetsNamespace.intersects(list, list): bool',
      (_: unknown, a: unknown[], b: unknown[]) => a.some((v) => has(b, v)),
    )
    .registerFunction('Base64Namespace.encode(bytes): string', (_: unknown, b: Uint8Array) =>
      Buffer.from(b).toString('base64'),
    )
    .registerFunction('Base64Namespace.decode(string): bytes', (_: unknown, s: string) => {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new Error('illegal base64 data');
      return new Uint8Array(Buffer.from(s, 'base64'));
    });
}

function same(a: unknown, b: unknown): boolean {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return Number(a) === Number(b);
  }
  return (
    a === b ||
    JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)) ===
      JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))
  );
}
