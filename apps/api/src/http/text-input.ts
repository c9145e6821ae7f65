import { ApiError } from '../errors.js';

/**
 * Text PostgreSQL cannot store. `text` columns refuse U+0000 (SQLSTATE 22021, "invalid byte
 * sequence for encoding UTF8: 0x00"), and `jsonb` refuses both `\u0000` and an unpaired
 * surrogate escape such as `\ud800` (22P05, "unsupported Unicode escape sequence"). A lone
 * UTF-16 surrogate is not a Unicode scalar value at all (RFC 8259 §8.2 leaves its meaning
 * undefined), so no client can mean it. Refused as a 400 naming the field, before any work.
 */
const NUL = String.fromCharCode(0);
// With the `u` flag a well-formed surrogate pair is one code point, so only a lone one matches.
const LONE_SURROGATE = /\p{Cs}/u;

function problem(text: string): string | undefined {
  if (text.includes(NUL)) return 'contains a NUL character (U+0000), which is not allowed in text';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate, which is not valid Unicode';
  return undefined;
}

/**
 * The first string (or object key) in validated input that PostgreSQL could not store, as the
 * one error shape: `param` is the field's path as the client wrote it (`metadata.order`).
 */
export function unstorableText(data: unknown, path: string[] = []): ApiError | undefined {
  if (typeof data === 'string') {
    const why = problem(data);
    if (!why) return undefined;
    const param = path.join('.');
    return new ApiError(400, 'invalid_request_error', 'parameter_invalid', `Invalid ${param}: ${why}`, param);
  }
  if (data === null || typeof data !== 'object') return undefined;
  for (const [key, value] of Object.entries(data)) {
    const why = problem(key);
    if (why) {
      const param = path.join('.') || 'body';
      return new ApiError(
        400,
        'invalid_request_error',
        'parameter_invalid',
        `Invalid ${param}: a key ${why}`,
        param,
      );
    }
    const found = unstorableText(value, [...path, key]);
    if (found) return found;
  }
  return undefined;
}
