import { CURRENCIES } from '@payday/db';
import { describe, expect, it } from 'vitest';
import { currencyExponent, formatMoney, minorToDecimal, parseMoneyInput } from './money.js';

describe('currencyExponent', () => {
  it('knows zero-, two- and three-decimal currencies', () => {
    expect(currencyExponent('jpy')).toBe(0);
    expect(currencyExponent('EUR')).toBe(2);
    expect(currencyExponent('kwd')).toBe(3);
  });
  it('agrees with every currency the API accepts', () => {
    for (const [code, exp] of Object.entries(CURRENCIES))
      expect([code, currencyExponent(code)]).toEqual([code, exp]);
  });
});

describe('minorToDecimal', () => {
  it('places the decimal point by exponent without floats', () => {
    expect(minorToDecimal(5, 'usd')).toBe('0.05');
    expect(minorToDecimal(123456, 'usd')).toBe('1234.56');
    expect(minorToDecimal(1500, 'jpy')).toBe('1500');
    expect(minorToDecimal(1005, 'kwd')).toBe('1.005');
    expect(minorToDecimal(-250, 'eur')).toBe('-2.50');
    expect(minorToDecimal(9007199254740991, 'usd')).toBe('90071992547409.91');
  });
});

describe('formatMoney', () => {
  it('formats by locale and exponent', () => {
    expect(formatMoney(1050, 'usd', 'en-US')).toBe('$10.50');
    expect(formatMoney(1050, 'eur', 'de-DE')).toBe('10,50\u00a0€');
    expect(formatMoney(1050, 'jpy', 'en-US')).toBe('¥1,050');
    expect(formatMoney(1005, 'kwd', 'en-US')).toBe('KWD\u00a01.005');
  });
});

describe('parseMoneyInput', () => {
  it('accepts dot or comma decimals', () => {
    expect(parseMoneyInput('5', 'usd')).toEqual({ amount: 500 });
    expect(parseMoneyInput(' 5.5 ', 'usd')).toEqual({ amount: 550 });
    expect(parseMoneyInput('12,34', 'eur')).toEqual({ amount: 1234 });
    expect(parseMoneyInput('700', 'jpy')).toEqual({ amount: 700 });
  });
  it('refuses what it cannot read exactly', () => {
    expect(parseMoneyInput('1.234', 'usd')).toEqual({
      error: 'Enter at most 2 digits after the decimal point.',
    });
    expect(parseMoneyInput('1.5', 'jpy')).toEqual({ error: 'JPY has no minor unit: enter a whole number.' });
    expect(parseMoneyInput('-3', 'usd')).toEqual({ error: 'Enter an amount such as 12.50.' });
    expect(parseMoneyInput('abc', 'usd')).toEqual({ error: 'Enter an amount such as 12.50.' });
    expect(parseMoneyInput('0.00', 'usd')).toEqual({ error: 'Enter an amount greater than zero.' });
  });
});
