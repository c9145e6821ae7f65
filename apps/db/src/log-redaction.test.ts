import { describe, expect, it } from 'vitest';
import { redactLine, redactText, serializeError } from './log-redaction.js';

describe('redactLine', () => {
  it('replaces secret shapes wherever they appear, keeping a key prefix', () => {
    const line = JSON.stringify({
      message:
        'saw sk_test_2t5j185c9bq3m8zt7krhmr7zq5yj1ax3ne4688nn and dst_abcdefghjkmnpqrstvwxyz0123456789abcdefgh',
      nested: { any: 'whsec_Zm9vYmFyLWJhei1xdXV4XzEyMzQ1Njc4OTA' },
    });
    expect(JSON.parse(redactLine(line))).toEqual({
      message: 'saw sk_test_2t5j185c… and dst_[redacted]',
      nested: { any: 'whsec_[redacted]' },
    });
  });

  it('cuts query values and quoted rows from any key, escapes included', () => {
    const line = JSON.stringify({
      error: 'Failed query: insert into t values ($1, $2)\nparams: a "quoted" secret,b',
      detail: 'Failing row contains (we_1, https://x, whsec_abc, {"k": "v"}).',
      unique: 'Key (email)=(owner@shop.test) already exists.',
      after: 'kept',
    });
    expect(JSON.parse(redactLine(line))).toEqual({
      error: 'Failed query: insert into t values ($1, $2)\nparams: [redacted]',
      detail: 'Failing row contains [redacted]',
      unique: 'Key (email)=[redacted]',
      after: 'kept',
    });
  });
});

describe('serializeError', () => {
  it('keeps the diagnosis and drops the values', () => {
    const cause = Object.assign(new Error('new row violates check constraint "c"'), {
      code: '23514',
      constraint_name: 'c',
      detail: 'Failing row contains (secret)',
    });
    const error = new Error('Failed query: insert into t values ($1)\nparams: secret', { cause });
    const out = serializeError(error) as Record<string, Record<string, unknown>>;
    expect(out.message).toBe('Failed query: insert into t values ($1)\nparams: [redacted]');
    expect(out.stack).not.toContain('secret');
    expect(out.cause).toMatchObject({ code: '23514', constraint_name: 'c' });
    expect(JSON.stringify(out)).not.toContain('secret');
  });
});

describe('redactText (an error as the worker stores it in jobs.last_error)', () => {
  it('cuts bound values, quoted rows and key values, and shortens secrets, keeping the diagnosis', () => {
    expect(redactText('Failed query: insert into t values ($1)\nparams: {"note":"x"},whsec_abc')).toBe(
      'Failed query: insert into t values ($1)\nparams: [redacted]',
    );
    expect(redactText('new row violates check constraint "c"\nFailing row contains (1, secret note).')).toBe(
      'new row violates check constraint "c"\nFailing row contains [redacted]',
    );
    expect(
      redactText(
        'duplicate key value violates unique constraint "u": Key (email)=(a@b.example) already exists.',
      ),
    ).toBe('duplicate key value violates unique constraint "u": Key (email)=[redacted]');
    expect(redactText('receiver refused whsec_Zm9vYmFy and sk_live_abcdefgh12345678')).toBe(
      'receiver refused whsec_[redacted] and sk_live_abcdefgh…',
    );
    expect(redactText('receiver answered HTTP 410')).toBe('receiver answered HTTP 410');
  });
});
