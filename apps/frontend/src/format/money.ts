/**
 * Money on screen. Amounts arrive as integers in the currency's minor unit
 * (docs/design/apps.md §Money); the
 * number of minor-unit digits is the ISO 4217 exponent, with Stripe's zero-decimal list and the
 * three-decimal currencies (see docs/design/apps.md §Money).
 * `money.test.ts` proves the table agrees with the API's own (apps/db/src/currencies.ts).
 * Formatting goes through a decimal *string*, never a float, so no amount is ever rounded.
 */

const ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'ISK',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
const THREE_DECIMAL = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

/** Minor-unit digits of an ISO 4217 currency code (case-insensitive). */
export function currencyExponent(currency: string): 0 | 2 | 3 {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/** `12345, 'eur'` → `"123.45"`; exact for any safe integer. */
export function minorToDecimal(amount: number | bigint, currency: string): string {
  const exp = currencyExponent(currency);
  const negative = amount < 0;
  const digits = (negative ? -BigInt(amount) : BigInt(amount)).toString();
  if (exp === 0) return (negative ? '-' : '') + digits;
  const padded = digits.padStart(exp + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -exp)}.${padded.slice(-exp)}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** `1050, 'eur', 'de-DE'` → `"10,50 €"`; `1050, 'usd', 'en-US'` → `"$10.50"`. */
export function formatMoney(amount: number | bigint, currency: string, locale: string): string {
  const code = currency.toUpperCase();
  const exp = currencyExponent(code);
  const key = `${locale}|${code}`;
  let nf = formatters.get(key);
  if (!nf) {
    nf = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: code,
      minimumFractionDigits: exp,
      maximumFractionDigits: exp,
    });
    formatters.set(key, nf);
  }
  // Intl.NumberFormat accepts decimal strings exactly (ECMA-402 "Intl.NumberFormat v3").
  return nf.format(minorToDecimal(amount, code) as unknown as number);
}

/**
 * Parses what a person typed into a refund field (`"5"`, `"5.5"`, `"5,50"`) into minor units.
 * Returns an error message instead of guessing: too many decimals, signs, letters.
 */
export function parseMoneyInput(input: string, currency: string): { amount: number } | { error: string } {
  const exp = currencyExponent(currency);
  const text = input.trim().replace(/\s/g, '');
  const m = /^(\d{1,12})(?:[.,](\d*))?$/.exec(text);
  if (!m) return { error: 'Enter an amount such as 12.50.' };
  const frac = m[2] ?? '';
  if (frac.length > exp) {
    return {
      error:
        exp === 0
          ? `${currency.toUpperCase()} has no minor unit: enter a whole number.`
          : `Enter at most ${exp} digits after the decimal point.`,
    };
  }
  const amount = Number(BigInt(m[1]!) * 10n ** BigInt(exp) + BigInt(frac.padEnd(exp, '0') || '0'));
  if (!Number.isSafeInteger(amount)) return { error: 'That amount is too large.' };
  if (amount <= 0) return { error: 'Enter an amount greater than zero.' };
  return { amount };
}
