import { describe, expect, it } from 'vitest';
import { startFailure } from './embedded.js';

describe('startFailure', () => {
  it('names the FATAL reason and the taken port', () => {
    expect(
      startFailure(5433, [
        '2026-12-06 03:59:01.123 UTC [42] LOG:  could not bind IPv4 address "127.0.0.1": Address already in use',
        '2026-12-06 03:59:01.123 UTC [42] FATAL:  could not create any TCP/IP sockets',
        '2026-12-06 03:59:01.124 UTC [42] LOG:  database system is shut down',
      ]),
    ).toBe(
      'embedded PostgreSQL on 127.0.0.1:5433 stopped while starting: could not create any TCP/IP sockets (port 5433 is in use)',
    );
  });

  it('falls back to the last line without a FATAL one, and says when there was no message', () => {
    expect(startFailure(5433, ['LOG:  starting PostgreSQL 17', 'LOG:  received fast shutdown request'])).toBe(
      'embedded PostgreSQL on 127.0.0.1:5433 stopped while starting: LOG:  received fast shutdown request',
    );
    expect(startFailure(5433, [])).toBe(
      'embedded PostgreSQL on 127.0.0.1:5433 stopped while starting: no message',
    );
  });
});
