import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDay, LOCALE_MEMO_SIZE, localeMemoSize, negotiateLocale } from './locale.js';

describe('negotiateLocale', () => {
  it('picks the highest-quality well-formed tag', () => {
    expect(negotiateLocale('fr-CH, fr;q=0.9, en;q=0.8')).toBe('fr-CH');
    expect(negotiateLocale('en;q=0.5, de-DE;q=0.9')).toBe('de-DE');
  });
  it('falls back to en-US on nothing usable', () => {
    expect(negotiateLocale(undefined)).toBe('en-US');
    expect(negotiateLocale('*')).toBe('en-US');
    expect(negotiateLocale('!!!, ;q=1')).toBe('en-US');
  });
  it('remembers answers within a bound, and a remembered answer is the same answer', () => {
    for (let i = 0; i < LOCALE_MEMO_SIZE + 50; i++) {
      expect(negotiateLocale(`x-private-${i}, de-AT;q=0.5`)).toBe('de-AT');
    }
    expect(localeMemoSize()).toBe(LOCALE_MEMO_SIZE);
    expect(negotiateLocale('fr-CH, fr;q=0.9, en;q=0.8')).toBe('fr-CH');
    expect(negotiateLocale('fr-CH, fr;q=0.9, en;q=0.8')).toBe('fr-CH');
    expect(localeMemoSize()).toBe(LOCALE_MEMO_SIZE);
  });
});

describe('dates', () => {
  it('formats in UTC whatever the server zone', () => {
    expect(formatDateTime('2026-11-03T23:30:00Z', 'en-US')).toBe('Nov 3, 2026, 11:30 PM UTC');
    expect(formatDay('2026-11-03', 'en-US')).toBe('Nov 3');
  });
});
