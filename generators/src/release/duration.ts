/**
 * Durations as printed in the `Soak:` trailer and in refusals, in the grammar environment files
 * use for `promotion.soak` (parsed by ../environments/duration.ts), so a printed value can be
 * pasted back into a file.
 */
export { parseDuration } from '../environments/duration.js';

/** `26h3m`, `45m`, `0s`: the inverse of parseDuration, rounded down to whole seconds. */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.floor(ms / 1000));
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
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
