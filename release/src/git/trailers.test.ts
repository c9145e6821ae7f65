import { describe, expect, it } from 'vitest';
import { embeddedTrailers, mergeTrailers, parseTrailers } from './trailers.js';

describe('embeddedTrailers', () => {
  it("reads the trailers git's own squash message indents (SQUASH_MSG)", () => {
    const message = [
      'Squashed commit of the following:',
      '',
      'commit 0123456789abcdef0123456789abcdef01234567',
      'Author: Rel Engineer <rel@payday.example>',
      'Date:   Mon Nov 2 14:00:00 2026 +0000',
      '',
      '    promote(prod): api 1.1.0 from staging',
      '',
      '    api: 1.0.0 → 1.1.0',
      '',
      '    Promoted-App: api',
      '    Promoted-To: prod',
      '    Override: soak',
      '    Approval: AAAA',
      '     BBBB',
      '',
    ].join('\n');
    expect([...embeddedTrailers(message)]).toEqual([
      ['Promoted-App', ['api']],
      ['Promoted-To', ['prod']],
      ['Override', ['soak']],
      ['Approval', ['AAAA BBBB']],
    ]);
  });

  it('reads each commit of a hosting service’s squash list, and ignores prose and the header', () => {
    const message = [
      'Promote api to prod (#42)',
      '',
      '* promote(prod): api 1.1.0 from staging',
      '',
      'Promoted-App: api',
      'Ticket: PAY-512',
      '',
      '* fix typo',
      '',
      'This paragraph: is prose, not a trailer block',
      'because this line has no key.',
      '',
      'Approved-By: ana@payday.example',
    ].join('\n');
    expect([...embeddedTrailers(message)]).toEqual([
      ['Promoted-App', ['api']],
      ['Ticket', ['PAY-512']],
      ['Approved-By', ['ana@payday.example']],
    ]);
    expect(embeddedTrailers('fix: one line\n').size).toBe(0);
  });

  it('merges trailer maps without losing repeated keys', () => {
    const into = parseTrailers('Promoted-App: api\n');
    mergeTrailers(into, parseTrailers('promoted-app: worker\nReason: x\n'));
    expect([...into]).toEqual([
      ['Promoted-App', ['api', 'worker']],
      ['Reason', ['x']],
    ]);
  });
});
