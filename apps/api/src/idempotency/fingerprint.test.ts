import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprint } from './fingerprint.js';

describe('fingerprint', () => {
  it('ignores key order and undefined members but not values, paths or methods', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null }, e: undefined })).toBe(
      '{"a":{"c":null,"d":[1,"x"]},"b":1}',
    );
    const base = fingerprint('POST', '/v1/payments', { amount: 1, currency: 'usd' });
    expect(fingerprint('POST', '/v1/payments', { currency: 'usd', amount: 1 })).toBe(base);
    expect(fingerprint('POST', '/v1/payments', { currency: 'usd', amount: 2 })).not.toBe(base);
    expect(fingerprint('POST', '/v1/refunds', { currency: 'usd', amount: 1 })).not.toBe(base);
  });
});
