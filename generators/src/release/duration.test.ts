import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

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
