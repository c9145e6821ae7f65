import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('newId', () => {
  it('is prefixed, 26 characters after the prefix, and sorts by creation time', () => {
    const a = newId('pay', 1_700_000_000_000);
    const b = newId('pay', 1_700_000_000_001);
    expect(a).toMatch(/^pay_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(a < b).toBe(true);
    expect(newId('pay')).not.toBe(newId('pay'));
  });

  it('never repeats its random part, across refills of the random pool (256 ids each)', () => {
    const random = new Set(Array.from({ length: 1000 }, () => newId('pay', 0).slice(-16)));
    expect(random.size).toBe(1000);
  });
});
