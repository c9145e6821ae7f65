import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amountProblem, CURRENCIES } from './currencies.js';
import { openTestDatabase } from './testing/fixtures.js';

describe('currencies', () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(async () => t.cleanup());

  it('the seeded table equals the list in code', async () => {
    const rows = await t.sql<
      { code: string; exponent: number }[]
    >`select code, exponent from currencies order by code`;
    expect(Object.fromEntries(rows.map((r) => [r.code, r.exponent]))).toEqual(CURRENCIES);
  });

  it('judges amounts by the currency exponent', () => {
    expect(amountProblem(100, 'usd')).toBeUndefined();
    expect(amountProblem(0, 'usd')).toBe('must be a positive integer');
    expect(amountProblem(-5, 'usd')).toBe('must be a positive integer');
    expect(amountProblem(1.5, 'usd')).toBe('must be an integer number of minor units');
    expect(amountProblem(100_000_000, 'jpy')).toBe('must be at most 99999999');
    expect(amountProblem(1005, 'bhd')).toBe('must end in 0 for the three-decimal currency bhd');
    expect(amountProblem(1000, 'bhd')).toBeUndefined();
  });
});
