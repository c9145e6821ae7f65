import { describe, expect, it } from 'vitest';
import { isoTimes } from './iso-time.js';

describe('isoTimes', () => {
  it('formats exactly as Date#toISOString, day changes and odd inputs included', () => {
    const iso = isoTimes();
    const times = [
      0,
      1_200_000_000_000,
      1_200_000_000_000 + 86_399_000,
      1_200_000_000_000 + 86_400_000,
      951_782_400_000, // 2000-02-29T00:00:00Z
      253_402_300_799_000, // 9999-12-31T23:59:59Z
      253_402_300_800_000, // year 10000: Date's own format
      -1000, // before 1970
      1_200_000_000_123, // milliseconds
      Number.NaN,
    ];
    // A pseudo-random walk over 60 years, back and forth across days.
    let t = 0;
    for (let i = 0; i < 20_000; i++) {
      t = (t * 1_103_515_245 + 12_345) % 1_900_000_000;
      times.push(t * 1000);
    }
    for (const ms of times) {
      const expected = Number.isNaN(ms) ? 'Invalid time value' : new Date(ms).toISOString();
      const actual = (() => {
        try {
          return iso(ms);
        } catch (err) {
          return (err as Error).message;
        }
      })();
      expect(actual, String(ms)).toBe(expected);
    }
  });
});
