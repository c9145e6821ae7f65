/**
 * The one duration format of the repository: how environment files write durations (`24h`,
 * `1h30m`, `90m`, `2d`) and how every command prints them back (the `Soak:` trailer, refusals,
 * `diff`, the history report). It follows Go's time.ParseDuration (which Argo Rollouts uses for
 * `pause.duration`) plus a day unit on input, because soak times are naturally counted in days.
 *
 * Printing uses hours as the largest unit, so a printed value reads like the file and can be
 * pasted back: a soak written `24h` is refused as "24h", never "1d".
 */
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/**
 * The same format restricted to one unit (`30s`, `10m`, `1h`), for values handed verbatim to a
 * controller that reads Go durations without a day unit: Argo Rollouts `pause.duration` and analysis
 * `interval`, External Secrets `refreshInterval`. parseDuration reads them like any other duration.
 */
export const CONTROLLER_DURATION = /^\d+[smh]$/;

export function isDuration(value: string): boolean {
  return value !== '' && DURATION.test(value);
}

/** Milliseconds in a duration string; throws on malformed input (validate with `isDuration`). */
export function parseDuration(value: string): number {
  const m = DURATION.exec(value);
  if (!m || value === '')
    throw new Error(`malformed duration "${value}" (expected e.g. 24h, 1h30m, 90m, 2d)`);
  const [d, h, min, s] = m.slice(1).map((x) => (x ? Number(x) : 0)) as [number, number, number, number];
  return (((d * 24 + h) * 60 + min) * 60 + s) * 1000;
}

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
