/**
 * Duration strings as environment files write them (`24h`, `1h30m`, `90m`, `2d`), in the spirit
 * of Go's time.ParseDuration (which Argo Rollouts uses for `pause.duration`) plus a day unit,
 * because soak times are naturally counted in days.
 */
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Argo Rollouts `pause.duration` accepts a single unit only (`30s`, `10m`, `1h`). */
export const PAUSE_DURATION = /^\d+[smh]$/;

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
