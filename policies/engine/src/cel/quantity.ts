/**
 * Kubernetes resource.Quantity (k8s.io/apimachinery/pkg/api/resource): parsing and exact
 * arithmetic at nano precision (the smallest scale Kubernetes keeps), so `1Gi`, `1024Mi`,
 * `0.5`, `500m` and `5e2` compare exactly.
 */
const BINARY: Record<string, bigint> = {
  Ki: 1024n,
  Mi: 1024n ** 2n,
  Gi: 1024n ** 3n,
  Ti: 1024n ** 4n,
  Pi: 1024n ** 5n,
  Ei: 1024n ** 6n,
};
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const NANO = 10n ** 9n;
const PATTERN = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

export class Quantity {
  /** Value × 10^9, rounded up (away from zero) like Kubernetes' nano rounding. */
  constructor(
    readonly nanos: bigint,
    readonly text: string,
  ) {}

  static parse(text: string): Quantity {
    const m = PATTERN.exec(text.trim());
    if (!m || text.trim() === '')
      throw new Error(`quantities must match the regular expression '${PATTERN.source}'`);
    const [, sign, digits, suffix = ''] = m;
    const [intPart, frac = ''] = digits!.split('.');
    let num = BigInt((intPart || '0') + frac);
    let exp10 = -frac.length;
    let mult = 1n;
    if (suffix in BINARY) mult = BINARY[suffix]!;
    else if (suffix in DECIMAL) exp10 += DECIMAL[suffix]!;
    else exp10 += Number(suffix.slice(1));
    num *= mult;
    const nanoExp = exp10 + 9;
    let nanos: bigint;
    if (nanoExp >= 0) nanos = num * 10n ** BigInt(nanoExp);
    else {
      const div = 10n ** BigInt(-nanoExp);
      nanos = num / div + (num % div === 0n ? 0n : 1n);
    }
    return new Quantity(sign === '-' ? -nanos : nanos, text);
  }

  static isQuantity(text: string): boolean {
    try {
      Quantity.parse(text);
      return true;
    } catch {
      return false;
    }
  }

  compareTo(other: Quantity): number {
    return this.nanos < other.nanos ? -1 : this.nanos > other.nanos ? 1 : 0;
  }

  add(other: Quantity): Quantity {
    return new Quantity(this.nanos + other.nanos, '');
  }

  sub(other: Quantity): Quantity {
    return new Quantity(this.nanos - other.nanos, '');
  }

  isInteger(): boolean {
    return this.nanos % NANO === 0n;
  }

  asInteger(): bigint {
    if (!this.isInteger()) throw new Error('cannot convert value to integer');
    return this.nanos / NANO;
  }

  asApproximateFloat(): number {
    return Number(this.nanos) / 1e9;
  }

  sign(): bigint {
    return this.nanos > 0n ? 1n : this.nanos < 0n ? -1n : 0n;
  }
}
