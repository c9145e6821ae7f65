import type { Environment } from '@marcbachmann/cel-js';

/**
 * Registers a namespace constant (e.g. `math`, `sets`, `resource`) so `math.greatest(…)` resolves
 * to `MathNamespace.greatest(…)` — the same technique cel-js uses for `cel.bind`.
 */
export function registerNamespace(env: Environment, constant: string, typeName: string): void {
  const ns = { [typeName]: class {} }[typeName]!;
  env.registerType(typeName, ns).registerConstant(constant, typeName, new ns());
}

/** CEL ints are BigInt, doubles are numbers; YAML numbers arrive as doubles (Kyverno CLI float64). */
export function toNumber(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  throw new Error(`expected a number, got ${typeof value}`);
}
