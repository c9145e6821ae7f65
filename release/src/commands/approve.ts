/**
 * `approve`: the second person's half of an override (docs/release.md, "Overrides need a second
 * person"). Run by an approver on the commit that records `Override:` (the tip of the promote
 * branch, or HEAD before it is pushed): it computes exactly what the override lets through with
 * the same code as `history --verify`, signs that with the approver's SSH key
 * (`ssh-keygen -Y sign`), and adds `Approved-By:` and `Approval:` to the commit message
 * (`git commit --amend --trailer`, author unchanged). Nothing else in the commit changes.
 */

import { git } from '../git/git.js';
import { readSigningConfig, SIGNERS_FILE } from '../git/signers.js';
import { first, TRAILER } from '../git/trailers.js';
import { approvalPayload, checkApproval, signApproval } from '../verify/approval.js';
import { auditHistory } from '../verify/audit.js';
import { preflight } from './preflight.js';
import { Refusal } from './refusal.js';

export interface ApproveOptions {
  cwd: string;
  /** The approver's private key file (ssh-keygen -Y sign -f). */
  key: string;
  /** The approver's principal in release/allowed_signers (default: git config user.email). */
  as?: string;
  dryRun?: boolean;
  /** Extra environment for git (tests pin the amended commit's date). */
  gitEnv?: NodeJS.ProcessEnv;
}

export interface ApproveResult {
  approver: string;
  payload: string;
  commit: string | undefined;
  previous: string;
}

export async function approve(o: ApproveOptions): Promise<ApproveResult> {
  const state = await preflight(o.cwd, 'approve', { allowDetached: o.dryRun });
  const root = state.root;
  const head = state.head!;
  const as = (o.as ?? (await git(root, ['config', 'user.email']).catch(() => ''))).trim();
  if (!as) throw new Refusal('no approver named', 'pass --as <your principal in release/allowed_signers>');
  const audit = await auditHistory(root, { rev: head, only: new Set([head]) });
  const claimed = audit.violations.filter((v) => v.env && (v.overridden || v.approval));
  if (claimed.length === 0) {
    const open = audit.violations.filter((v) => !v.overridden);
    throw new Refusal(
      `${head.slice(0, 12)} records no override to approve${open.length ? ` (it has ${open.length} violation(s) without Override:, Reason: and Ticket:)` : ''}`,
      'approve the commit that records the override: check it out (git switch <promote branch>) and run approve there',
    );
  }
  const commit = audit.history.commits.find((c) => c.sha === head)!;
  const payload = approvalPayload(
    claimed.map((v) => ({ rule: v.rule, env: v.env!, app: v.app!, image: v.image! })),
    first(commit.trailers, TRAILER.ticket),
  );
  const signing = await readSigningConfig(root, head);
  try {
    const approval = await signApproval(payload, o.key).catch((err: Error) => {
      throw new Refusal(
        err.message,
        `--key must be your private SSH key (the one listed in ${SIGNERS_FILE})`,
      );
    });
    // Check before writing: the same check verify will make.
    const check = await checkApproval({
      payload,
      approvedBy: as,
      signature: approval,
      authors: commit.authors,
      signers: signing.signers,
      signersFile: signing.file,
    });
    if (!check.ok)
      throw new Refusal(
        `this approval would not count: ${check.why}`,
        'an approver other than the author approves',
      );
    if (o.dryRun) return { approver: as, payload, commit: undefined, previous: head };
    await git(
      root,
      [
        'commit',
        '--amend',
        '--no-edit',
        '--allow-empty',
        '--quiet',
        '--trailer',
        `${TRAILER.approvedBy}: ${as}`,
        '--trailer',
        `${TRAILER.approval}: ${approval}`,
      ],
      { env: o.gitEnv },
    );
    const amended = (await git(root, ['rev-parse', 'HEAD'])).trim();
    return { approver: as, payload, commit: amended, previous: head };
  } finally {
    await signing.dispose();
  }
}
