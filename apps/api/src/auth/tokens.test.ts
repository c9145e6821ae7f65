import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateApiKey, sha256, sha256Hex } from './tokens.js';

describe('sha256Hex', () => {
  it('is the hex form of the stored SHA-256, so cache keys and stored hashes agree', () => {
    const { secret, hash } = generateApiKey();
    expect(sha256Hex(secret)).toBe(hash.toString('hex'));
    expect(sha256Hex(secret)).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(Buffer.from(sha256Hex('sk_test_x'), 'hex').equals(sha256('sk_test_x'))).toBe(true);
    expect(sha256Hex('sk_test_a')).not.toBe(sha256Hex('sk_test_b'));
  });
});
