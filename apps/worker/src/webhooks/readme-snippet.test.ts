import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { signatureHeader } from './signature.js';

/** The README's copy-paste verifier must keep working against what the worker sends. */
describe('README verification snippet', () => {
  const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md'), 'utf8');
  const code = /```ts\n(import \{ createHmac[\s\S]*?)```/.exec(readme)![1]!;

  it('accepts what the worker signs (including rotation) and rejects tampering', async () => {
    const js = transformSync(code, { loader: 'ts', format: 'esm' }).code;
    const url = `data:text/javascript;base64,${Buffer.from(js).toString('base64')}`;
    const { verifyPaydaySignature } = (await import(url)) as {
      verifyPaydaySignature: (b: string, h: string, s: string[], t?: number) => boolean;
    };
    const body = '{"id":"evt_1","type":"payment.succeeded"}';
    const now = Math.floor(Date.now() / 1000);
    const header = signatureHeader(['whsec_new', 'whsec_old'], now, body);
    expect(verifyPaydaySignature(body, header, ['whsec_old'])).toBe(true);
    expect(verifyPaydaySignature(body, header, ['whsec_new'])).toBe(true);
    expect(verifyPaydaySignature(`${body} `, header, ['whsec_new'])).toBe(false);
    expect(verifyPaydaySignature(body, header, ['whsec_other'])).toBe(false);
    expect(verifyPaydaySignature(body, signatureHeader(['whsec_new'], now - 301, body), ['whsec_new'])).toBe(
      false,
    );
  });
});
