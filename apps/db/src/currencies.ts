/**
 * ISO 4217 currencies the API accepts, with their exponent (minor-unit digits). Amounts are
 * always integers in minor units (docs.stripe.com/currencies): 100 = $1.00, 100 = ¥100,
 * 1000 = 1.000 BHD. The `currencies` table is seeded from this list by the migration
 * `0001_invariants.sql`; `currencies.test.ts` proves the two agree.
 */
export const CURRENCIES = {
  aud: 2,
  bhd: 3,
  brl: 2,
  cad: 2,
  chf: 2,
  clp: 0,
  cny: 2,
  czk: 2,
  dkk: 2,
  eur: 2,
  gbp: 2,
  hkd: 2,
  huf: 2,
  inr: 2,
  isk: 0,
  jod: 3,
  jpy: 0,
  krw: 0,
  kwd: 3,
  mxn: 2,
  nok: 2,
  nzd: 2,
  omr: 3,
  pln: 2,
  sek: 2,
  sgd: 2,
  tnd: 3,
  usd: 2,
  vnd: 0,
  zar: 2,
} as const satisfies Record<string, 0 | 2 | 3>;

export type Currency = keyof typeof CURRENCIES;

export const CURRENCY_CODES = Object.keys(CURRENCIES) as [Currency, ...Currency[]];

export function isCurrency(code: string): code is Currency {
  return Object.hasOwn(CURRENCIES, code);
}

/**
 * Largest amount in minor units a single payment may carry: eight digits, as Stripe allows
 * (99999999 = $999,999.99). Far below 2^53, so amounts are plain JSON numbers.
 */
export const MAX_AMOUNT = 99_999_999;

/**
 * Why an amount is not valid for a currency, or undefined when it is. Three-decimal currencies
 * must end in 0 because card networks settle them to two decimals
 * (checkout.com/docs/resources/calculating-the-amount).
 */
export function amountProblem(amount: number, currency: Currency): string | undefined {
  if (!Number.isSafeInteger(amount)) return 'must be an integer number of minor units';
  if (amount <= 0) return 'must be a positive integer';
  if (amount > MAX_AMOUNT) return `must be at most ${MAX_AMOUNT}`;
  if (CURRENCIES[currency] === 3 && amount % 10 !== 0) {
    return `must end in 0 for the three-decimal currency ${currency}`;
  }
  return undefined;
}
