import { describe, expect, it } from 'vitest';
import { parseWhen, UsageError } from './cli-io.js';

describe('parseWhen', () => {
  const now = new Date('2026-12-06T12:00:00Z');

  it('reads a duration ago in the environment files’ format, days included', () => {
    expect(parseWhen('--since', '7d', now)?.toISOString()).toBe('2026-11-29T12:00:00.000Z');
    expect(parseWhen('--since', '1d2h30m', now)?.toISOString()).toBe('2026-12-05T09:30:00.000Z');
  });

  it('reads ISO 8601 dates and leaves an absent flag absent', () => {
    expect(parseWhen('--until', '2026-11-01T08:00:00Z', now)?.toISOString()).toBe('2026-11-01T08:00:00.000Z');
    expect(parseWhen('--until', undefined, now)).toBeUndefined();
  });

  it('names the flag and both accepted forms for anything else', () => {
    for (const bad of ['last tuesday', '30m1h', '7w']) {
      expect(() => parseWhen('--since', bad, now)).toThrow(UsageError);
      expect(() => parseWhen('--since', bad, now)).toThrow(
        `--since "${bad}" is neither a date (2026-11-01, 2026-11-01T12:00:00Z) nor a duration ago (7d, 24h)`,
      );
    }
  });
});
