import { describe, expect, it } from 'vitest';
import { lineRegex, unmatched } from './loose-match.js';

describe('lineRegex', () => {
  it('lets ids, secrets, numbers, timestamps, paths and … vary, and nothing else', () => {
    const re = lineRegex(
      '{"id":"pay_01m7yd0hcnryzrnm5yx9hthetj","amount":2500,"created_at":"2026-11-21T06:34:30.165Z",…}',
    );
    expect(
      re.test(
        '{"id":"pay_01m94kzqch92pav931s41ytv82","amount":100,"created_at":"2026-12-06T02:47:31.9Z","x":1}',
      ),
    ).toBe(true);
    expect(re.test('{"id":"pay_01m94kzqch92pav931s41ytv82","amount":100}')).toBe(false);
    expect(
      lineRegex('· starting embedded PostgreSQL on 127.0.0.1:5433 (data in /work/main/.data/postgres)').test(
        '· starting embedded PostgreSQL on 127.0.0.1:38239 (data in /tmp/payday-docs-J9HSlQ/postgres)',
      ),
    ).toBe(true);
    expect(
      lineRegex('Dashboard login   demo@payday.test / WqiUk0CPPaPL').test(
        'Dashboard login demo@payday.test / Dss11MdQcvj6',
      ),
    ).toBe(true);
  });

  it('keeps words exact: a changed status or error code does not match', () => {
    const re = lineRegex('{"error":{"type":"invalid_request_error","code":"amount_too_large"}}');
    expect(re.test('{"error":{"type":"invalid_request_error","code":"resource_missing"}}')).toBe(false);
    expect(lineRegex('gate: pass (14 policies)').test('gate: fail (14 policies)')).toBe(false);
  });

  it('escapes regular-expression characters in the documented text', () => {
    expect(lineRegex('a.b (c) [d] $e').test('a.b (c) [d] $e')).toBe(true);
    expect(lineRegex('a.b').test('axb')).toBe(false);
  });
});

describe('unmatched', () => {
  it('needs every expected line, in order, and allows extra output lines', () => {
    const output = 'one\nextra\ntwo 2\nthree\n';
    expect(unmatched(['one', '', 'two 7', 'three'], output)).toEqual([]);
    expect(unmatched(['three', 'one'], output)).toEqual([{ index: 1, line: 'one' }]);
    expect(unmatched(['four'], output)).toEqual([{ index: 0, line: 'four' }]);
  });
});
