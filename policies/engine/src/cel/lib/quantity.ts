import type { Environment } from '@marcbachmann/cel-js';
import { Quantity } from '../quantity.js';

/** Kubernetes CEL quantity library. https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-quantity-library */
export function registerQuantity(env: Environment): void {
  env
    .registerType('Quantity', Quantity)
    .registerFunction('quantity(string): Quantity', (s: string) => Quantity.parse(s))
    .registerFunction('isQuantity(string): bool', (s: string) => Quantity.isQuantity(s))
    .registerFunction('Quantity.isInteger(): bool', (q: Quantity) => q.isInteger())
    .registerFunction('Quantity.asInteger(): int', (q: Quantity) => q.asInteger())
    .registerFunction('Quantity.asApproximateFloat(): double', (q: Quantity) => q.asApproximateFloat())
    .registerFunction('Quantity.sign(): int', (q: Quantity) => q.sign())
    .registerFunction('Quantity.add(Quantity): Quantity', (a: Quantity, b: Quantity) => a.add(b))
    .registerFunction('Quantity.add(int): Quantity', (a: Quantity, b: bigint) =>
      a.add(Quantity.parse(String(b))),
    )
    .registerFunction('Quantity.sub(Quantity): Quantity', (a: Quantity, b: Quantity) => a.sub(b))
    .registerFunction('Quantity.sub(int): Quantity', (a: Quantity, b: bigint) =>
      a.sub(Quantity.parse(String(b))),
    )
    .registerFunction(
      'Quantity.isGreaterThan(Quantity): bool',
      (a: Quantity, b: Quantity) => a.compareTo(b) > 0,
    )
    .registerFunction('Quantity.isLessThan(Quantity): bool', (a: Quantity, b: Quantity) => a.compareTo(b) < 0)
    .registerFunction('Quantity.compareTo(Quantity): int', (a: Quantity, b: Quantity) =>
      BigInt(a.compareTo(b)),
    );
}
