/**
 * Durations as printed in the `Soak:` trailer, in refusals, in `diff` and in the report, in the
 * spelling environment files use for `promotion.soak` (`24h`, `1h30m`; parsed by
 * ../environments/duration.ts), so a printed value reads like the file and can be pasted back.
 * Hours are the largest unit printed: a soak written `24h` is refused as "24h", never "1d".
 */
export { parseDuration } from '../environments/duration.js';

/** `26h3m`, `45m`, `0s`, `72h`: the inverse of parseDuration, rounded down to whole seconds. */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.floor(ms / 1000));
  const parts: string[] = [];
  for (const [unit, size] of [
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n}${unit}`);
  }
  return parts.length ? parts.join('') : '0s';
}
