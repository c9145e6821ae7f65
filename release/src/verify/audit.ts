/**
 * One audit answer for every reader: `history --verify`, `--range` and the HTML report all call
 * this, so they cannot disagree. It reads the repository's signing settings at the revision
 * being audited, the first-parent history of environments/ (with signatures when required), the
 * landed-time order, and decides which overrides were approved.
 */

import { git } from '../git/git.js';
import { readSigningConfig } from '../git/signers.js';
import { buildEntries } from '../history/entries.js';
import type { History } from '../history/history.js';
import { readHistory } from '../history/history-read.js';
import { readBackdated } from '../history/landing.js';
import { buildTimeline } from '../history/timeline.js';
import { applyApprovals, type Violation, verifyHistory } from './verify.js';

export interface AuditOptions {
  rev?: string;
  /** Only these first-parent commits are checked (a PR range); the rest is evidence. */
  only?: Set<string>;
  /** Also build the audit rows (for `history` and the report; verify does not need them). */
  entries?: boolean;
}

export interface Audit {
  history: History;
  violations: Violation[];
  /** How many landed commits were checked. */
  checked: number;
  signing: { required: boolean; since: string | undefined; signers: number };
}

export async function auditHistory(root: string, options: AuditOptions = {}): Promise<Audit> {
  const rev = options.rev ?? 'HEAD';
  // The landed-time walk needs no signing settings: it starts while they are read.
  const backdatedRead = readBackdated(root, rev);
  backdatedRead.catch(() => {}); // awaited below; a failure surfaces there, not as unhandled
  const signing = await readSigningConfig(root, rev);
  try {
    const [commits, backdated, exempt] = await Promise.all([
      readHistory(root, { rev, allowedSignersFile: signing.required ? signing.file : undefined }),
      backdatedRead,
      signing.since
        ? git(root, ['rev-list', '--first-parent', `${signing.since}^`]).then(
            (out) => new Set(out.split('\n').filter(Boolean)),
            () => new Set<string>(),
          )
        : Promise.resolve(new Set<string>()),
    ]);
    const timeline = buildTimeline(commits);
    const violations = await applyApprovals(
      verifyHistory(commits, timeline, { only: options.only, backdated, signing, unsignedOk: exempt }),
      commits,
      signing,
    );
    const only = options.only;
    const checked = only ? commits.filter((c) => only.has(c.sha)).length : commits.length;
    return {
      history: { commits, timeline, entries: options.entries ? buildEntries(commits) : [] },
      violations,
      checked,
      signing: { required: signing.required, since: signing.since, signers: signing.signers.length },
    };
  } finally {
    await signing.dispose();
  }
}
