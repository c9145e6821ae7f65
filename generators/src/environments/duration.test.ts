import { describe, expect, it } from 'vitest';
import { CONTROLLER_DURATION, formatDuration, isDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads the units environment files use, days included', () => {
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('90m')).toBe(5_400_000);
    expect(parseDuration('1d2h3m4s')).toBe(((26 * 60 + 3) * 60 + 4) * 1000);
    expect(parseDuration('0s')).toBe(0);
  });

  it('refuses anything else with the spellings it accepts', () => {
    for (const bad of ['', 'soon', '1w', '30m1h', '1.5h', ' 1h', '-1h'])
      expect(() => parseDuration(bad)).toThrow(
        `malformed duration "${bad}" (expected e.g. 24h, 1h30m, 90m, 2d)`,
      );
  });

  it('isDuration agrees with parseDuration', () => {
    for (const ok of ['24h', '2d', '1h30m', '0s']) expect(isDuration(ok)).toBe(true);
    for (const bad of ['', 'soon', '1w', '30m1h']) expect(isDuration(bad)).toBe(false);
  });

  it('durations handed to controllers take a single unit, as Go reads them without days', () => {
    expect(['30s', '10m', '1h'].every((d) => CONTROLLER_DURATION.test(d))).toBe(true);
    expect(['1h30m', '2d', '', '5'].some((d) => CONTROLLER_DURATION.test(d))).toBe(false);
  });
});

describe('formatDuration', () => {
  it('prints durations the way environment files write them, hours as the largest unit', () => {
    expect(formatDuration(parseDuration('24h'))).toBe('24h');
    expect(formatDuration(parseDuration('2d'))).toBe('48h');
    expect(formatDuration(parseDuration('1h30m'))).toBe('1h30m');
    expect(formatDuration(26 * 3_600_000 + 3 * 60_000 + 999)).toBe('26h3m');
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(-5)).toBe('0s');
  });

  it('round-trips through the environment files’ grammar', () => {
    for (const ms of [1000, 61_000, 3_600_000, 90_061_000, 400 * 3_600_000])
      expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
