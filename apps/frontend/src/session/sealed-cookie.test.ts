import { describe, expect, it } from 'vitest';
import { createSealer } from './sealed-cookie.js';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

describe('createSealer', () => {
  it('round-trips a value and hides it', () => {
    const s = createSealer([A]);
    const sealed = s.seal({ token: 'dst_secret' });
    expect(sealed).not.toContain('dst_secret');
    expect(s.open(sealed)).toEqual({ token: 'dst_secret' });
  });

  it('rejects a tampered, truncated or foreign cookie', () => {
    const s = createSealer([A]);
    const sealed = s.seal({ token: 'x' });
    // Change a character well inside the payload: every one of its 6 bits is data (the last
    // base64url character may carry padding bits, so changing it can leave the bytes equal).
    const at = 10;
    const flipped = sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1);
    expect(flipped).not.toBe(sealed);
    expect(s.open(flipped)).toBeUndefined();
    expect(s.open(sealed.slice(0, 20))).toBeUndefined();
    expect(s.open('v2.' + sealed.slice(3))).toBeUndefined();
    expect(createSealer([B]).open(sealed)).toBeUndefined();
  });

  it('opens cookies sealed with a previous secret after rotation', () => {
    const old = createSealer([A]).seal({ n: 1 });
    expect(createSealer([B, A]).open(old)).toEqual({ n: 1 });
  });
});
