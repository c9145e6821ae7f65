import { Quantity } from '../cel/quantity.js';

/**
 * `resource.Quantity.String()` for the results of Kyverno's arithmetic functions (kyverno
 * v1.19.0 pkg/engine/jmespath/arithmetic.go returns quantities as strings): the largest suffix
 * of the operand's format (binary `Ki`…`Ei`, decimal `k`…`E` / `m`…`n`) that keeps the value an
 * integer.
 */
export function formatQuantity(q: Quantity, binary: boolean): string {
  const nanos = q.nanos;
  if (nanos === 0n) return '0';
  const sign = nanos < 0n ? '-' : '';
  const abs = nanos < 0n ? -nanos : nanos;
  const NANO = 10n ** 9n;
  if (binary && abs % NANO === 0n) {
    const whole = abs / NANO;
    const suffixes = ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'];
    for (const [i, s] of suffixes.entries()) {
      const unit = 1024n ** BigInt(6 - i);
      if (whole % unit === 0n) return `${sign}${whole / unit}${s}`;
    }
    return `${sign}${whole}`;
  }
  const decimal: [string, bigint][] = [
    ['E', 10n ** 27n],
    ['P', 10n ** 24n],
    ['T', 10n ** 21n],
    ['G', 10n ** 18n],
    ['M', 10n ** 15n],
    ['k', 10n ** 12n],
    ['', 10n ** 9n],
    ['m', 10n ** 6n],
    ['u', 10n ** 3n],
    ['n', 1n],
  ];
  for (const [s, unit] of decimal) if (abs % unit === 0n) return `${sign}${abs / unit}${s}`;
  return `${sign}${abs}n`;
}

export function isBinaryQuantity(text: string): boolean {
  return /[KMGTPE]i$/.test(text.trim());
}

export { Quantity };
