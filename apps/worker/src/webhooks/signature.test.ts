import { describe, expect, it } from 'vitest';
import { computeSignature, signatureHeader, verifySignature, WebhookSignatureError } from './signature.js';

const body = '{"id":"evt_1","type":"payment.succeeded","data":{"amount":1000}}';
const t = 1_790_000_000;

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof WebhookSignatureError) return err.reason;
    throw err;
  }
  throw new Error('expected a WebhookSignatureError');
}

describe('webhook signatures', () => {
  it('matches the documented HMAC-SHA256 over "t.body" (independent computation)', () => {
    // Known-answer check computed with `printf '%s' "1790000000.$body" | openssl dgst -sha256 -hmac whsec_test`.
    expect(computeSignature('whsec_test', t, body)).toBe(
      'c8bf7b224b129b8fea06dcc3baad465a7703056155da61b08f6680d831727cb5',
    );
    const header = signatureHeader(['whsec_test'], t, body);
    expect(header).toMatch(/^t=1790000000,v1=[0-9a-f]{64}$/);
  });

  it('verifies with the published helper', () => {
    const header = signatureHeader(['whsec_a'], t, body);
    expect(verifySignature({ payload: body, header, secrets: ['whsec_a'], now: t + 10 })).toEqual({
      timestamp: t,
    });
  });

  it('rejects a tampered body', () => {
    const header = signatureHeader(['whsec_a'], t, body);
    expect(
      failure(() =>
        verifySignature({ payload: body.replace('1000', '9000'), header, secrets: ['whsec_a'], now: t }),
      ),
    ).toBe('no_match');
  });

  it('rejects a stale or future timestamp beyond 300 s, accepts the edge', () => {
    const header = signatureHeader(['whsec_a'], t, body);
    expect(verifySignature({ payload: body, header, secrets: ['whsec_a'], now: t + 300 })).toEqual({
      timestamp: t,
    });
    expect(
      failure(() => verifySignature({ payload: body, header, secrets: ['whsec_a'], now: t + 301 })),
    ).toBe('timestamp_out_of_tolerance');
    expect(
      failure(() => verifySignature({ payload: body, header, secrets: ['whsec_a'], now: t - 301 })),
    ).toBe('timestamp_out_of_tolerance');
  });

  it('rejects a re-signed timestamp (the timestamp is inside the MAC)', () => {
    const header = signatureHeader(['whsec_a'], t, body).replace(`t=${t}`, `t=${t + 100}`);
    expect(
      failure(() => verifySignature({ payload: body, header, secrets: ['whsec_a'], now: t + 100 })),
    ).toBe('no_match');
  });

  it('supports rotation: two v1 values, a receiver knowing either secret accepts', () => {
    const header = signatureHeader(['whsec_new', 'whsec_old'], t, body);
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verifySignature({ payload: body, header, secrets: ['whsec_old'], now: t }).timestamp).toBe(t);
    expect(verifySignature({ payload: body, header, secrets: ['whsec_new'], now: t }).timestamp).toBe(t);
    expect(failure(() => verifySignature({ payload: body, header, secrets: ['whsec_other'], now: t }))).toBe(
      'no_match',
    );
  });

  it('rejects missing and malformed headers with a reason', () => {
    expect(failure(() => verifySignature({ payload: body, header: undefined, secrets: ['s'], now: t }))).toBe(
      'missing_header',
    );
    expect(failure(() => verifySignature({ payload: body, header: 'v1=abc', secrets: ['s'], now: t }))).toBe(
      'malformed_header',
    );
    expect(
      failure(() =>
        verifySignature({ payload: body, header: `t=${t},v0=${'a'.repeat(64)}`, secrets: ['s'], now: t }),
      ),
    ).toBe('malformed_header');
  });

  it('refuses to sign without a secret', () => {
    expect(() => signatureHeader([], t, body)).toThrow('at least one secret');
  });
});
