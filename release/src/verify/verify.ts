/**
 * `history --verify`: re-checks every landed change in history (each first-parent commit,
 * diffed against its first parent, merges included) against the rules in force when it landed
 * (the target file's previous version), with its landed time as "now":
 *
 * - lineage, soak, freeze, hold for every change of a `release:` block (image or release config),
 *   and for every hold removed without the documented lift;
 * - `landed-time`: a first-parent commit dated earlier than its first parent, or after the
 *   verifier's clock (history/landing.ts);
 * - `rendered`: a commit that changes gitops/ without environments/, generators/ or policies/;
 * - `signature`: when the repository requires signed history (git/signers.ts), a commit touching
 *   environments/ that is unsigned or signed by someone without the right role.
 *
 * A lineage/soak/freeze/hold violation is accepted only when the commit records
 * `Override: <rule>` with a Reason and a Ticket AND a second person with the approver role
 * signed an approval of it (approval.ts; checked by `applyApprovals`; with signed history,
 * the signer of the landed commit cannot be that approver either). The integrity rules
 * cannot be overridden: the fix is a revert or a new, correct commit.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Role, SigningConfig } from '../git/signers.js';
import { all, first, TRAILER } from '../git/trailers.js';
import type { EnvCommit } from '../history/history-read.js';
import type { Backdated } from '../history/landing.js';
import { buildRanIndex, ranRelease, type Timeline } from '../history/timeline.js';
import { type ApprovalCheck, approvalPayload, checkApproval } from './approval.js';
import { HoldLedger, overridesOf, unliftedRemovals } from './holds.js';
import { evaluateRules, type Rule } from './rules.js';

/** Rules about the record itself: never overridable. */
export const INTEGRITY_RULES = ['landed-time', 'rendered', 'signature'] as const;
export type IntegrityRule = (typeof INTEGRITY_RULES)[number];

export interface Violation {
  commit: string;
  time: string;
  author: string;
  subject: string;
  /** Where: the environment and app, when the rule is about one (undefined for integrity rules). */
  env: string | undefined;
  app: string | undefined;
  image: string | undefined;
  rule: Rule | IntegrityRule;
  message: string;
  /** True when the commit records `Override: <rule>` with a reason and ticket, and (after applyApprovals) a valid approval. */
  overridden: boolean;
  reason: string | undefined;
  /** Why a recorded override does not count (set by applyApprovals). */
  approval?: string;
  /** The approver whose signed approval made the override count. */
  approvedBy?: string;
}

export interface VerifyOptions {
  /** Only check these commits (a PR range); the rest of history still informs lineage. */
  only?: Set<string>;
  /** First-parent commits dated earlier than their parent (history/landing.ts). */
  backdated?: Backdated[];
  /** Signature requirement; commits in `unsignedOk` (history before the cutover) are exempt. */
  signing?: Pick<SigningConfig, 'required' | 'signers'>;
  unsignedOk?: Set<string>;
}

/** Roles that may land a change of environments/ on the branch. */
const LANDING_ROLES: Role[] = ['release-engineer', 'merge-bot'];

function signatureProblem(c: EnvCommit, signing: Pick<SigningConfig, 'signers'>): string | undefined {
  const sig = c.signature;
  if (!sig || sig.code === 'N') return 'unsigned commit changes environments/';
  if (sig.code === 'B') return 'bad signature (the commit was changed after it was signed)';
  const signer = signing.signers.find((s) => s.fingerprint === sig.fingerprint);
  if (!signer || (sig.code !== 'G' && sig.code !== 'U'))
    return `signed by a key not in release/allowed_signers (${sig.fingerprint || `git %G? = ${sig.code}`})`;
  if (sig.code !== 'G') return `signature by ${signer.principals[0]} did not verify (git %G? = ${sig.code})`;
  if (!signer.roles.some((r) => LANDING_ROLES.includes(r)))
    return `signed by ${signer.principals.join(',')}, whose roles (${signer.roles.join(', ') || 'none'}) do not include ${LANDING_ROLES.join(' or ')}`;
  return undefined;
}

type Base = Pick<Violation, 'commit' | 'time' | 'author' | 'subject'>;

// Built only for a commit that has a finding: most commits have none, and the ISO time and the
// override claim would otherwise be made for every landed commit.
function baseOf(c: EnvCommit): Base {
  return { commit: c.sha, time: new Date(c.time).toISOString(), author: c.author, subject: c.subject };
}

function claimOf(c: EnvCommit): Claim {
  return {
    overrides: overridesOf(c),
    reason: first(c.trailers, TRAILER.reason),
    ticket: !!first(c.trailers, TRAILER.ticket),
  };
}

/** What a commit records to override a rule: counts (before approvals) with a Reason and a Ticket. */
interface Claim {
  overrides: Set<string>;
  reason: string | undefined;
  ticket: boolean;
}

// Plain functions rather than closures made per commit: verify walks every landed change.
function integrity(c: EnvCommit, rule: IntegrityRule, message: string): Violation {
  return {
    ...baseOf(c),
    env: undefined,
    app: undefined,
    image: undefined,
    rule,
    message,
    overridden: false,
    reason: undefined,
  };
}

function ruleViolation(
  c: EnvCommit,
  env: string,
  app: string,
  image: string,
  rule: Rule,
  message: string,
): Violation {
  const claim = claimOf(c);
  return {
    ...baseOf(c),
    env,
    app,
    image,
    rule,
    message,
    overridden: claim.overrides.has(rule) && !!claim.reason && claim.ticket,
    reason: claim.reason,
  };
}

export function verifyHistory(
  commits: EnvCommit[],
  timeline: Timeline,
  options: VerifyOptions = {},
): Violation[] {
  const out: Violation[] = [];
  const ran = buildRanIndex(commits);
  const ledger = new HoldLedger();
  const checked = (sha: string) => !options.only || options.only.has(sha);
  // Landed-time findings are listed at their commit, in history order; those on commits that do
  // not touch environments/ (not in `commits`) come last.
  const backdated = new Map<string, Backdated[]>();
  for (const b of options.backdated ?? []) backdated.set(b.sha, [...(backdated.get(b.sha) ?? []), b]);
  const landedTime = (b: Backdated) => {
    backdated.delete(b.sha);
    if (!checked(b.sha)) return;
    out.push({
      commit: b.sha,
      time: new Date(b.time).toISOString(),
      author: b.author,
      subject: b.subject,
      env: undefined,
      app: undefined,
      image: undefined,
      rule: 'landed-time',
      message:
        b.kind === 'future'
          ? `committed at ${new Date(b.time).toISOString()}, later than the verifier's clock (${new Date(b.parentTime).toISOString()}): a first-parent commit cannot land in the future`
          : `committed at ${new Date(b.time).toISOString()}, earlier than its first parent ${b.parent.slice(0, 12)} (${new Date(b.parentTime).toISOString()}): a first-parent commit cannot land before its parent`,
      overridden: false,
      reason: undefined,
    });
  };
  for (const c of commits) {
    const isChecked = checked(c.sha);
    for (const b of backdated.get(c.sha) ?? []) landedTime(b);
    if (isChecked && c.renderedOnly.length) {
      const list =
        c.renderedOnly.slice(0, 3).join(', ') +
        (c.renderedOnly.length > 3 ? `, … (${c.renderedOnly.length} files)` : '');
      out.push(
        integrity(
          c,
          'rendered',
          `hand edit of rendered output: changes ${list} without a change to environments/, generators/ or policies/ (gitops/ is written only by npm run render)`,
        ),
      );
    }
    if (isChecked && options.signing?.required && c.changes.length && !options.unsignedOk?.has(c.sha)) {
      const problem = signatureProblem(c, options.signing);
      if (problem)
        out.push(integrity(c, 'signature', `${problem}; release/signing.yaml requires signed history`));
    }
    if (c.changes.length === 0) continue;
    const isRollback = first(c.trailers, TRAILER.rollbackOf) !== undefined;
    for (const ch of c.changes) {
      const removed = unliftedRemovals(ch);
      const standing = ledger.of(ch.env);
      ledger.apply(c, ch, removed);
      // The rules in force are those of the file before the change; a new file has none yet.
      if (!isChecked || !ch.before || !ch.after || ch.before.invalid) continue;
      for (const h of removed) {
        out.push(
          ruleViolation(
            c,
            ch.env,
            h.app,
            h.image,
            'hold',
            `removes the hold on ${h.app} ${h.image} without the documented lift (a promotion of a newer ${h.app} release, which replaces the image in the same commit)`,
          ),
        );
      }
      for (const app in ch.after.release) {
        const rel = ch.after.release[app]!;
        const prev = ch.before.release[app];
        // History shares one Release object per distinct block (environments/snapshot.ts).
        if (prev === rel) continue;
        const imageChanged = prev?.image !== rel.image;
        if (!imageChanged && isDeepStrictEqual(prev?.config, rel.config)) continue;
        // A rollback restores what this environment already ran: lineage and soak held then.
        if (isRollback && ranRelease(ran, ch.env, app, rel, c.time - 1)) continue;
        const { violations } = evaluateRules({
          timeline,
          env: ch.env,
          target: ch.before,
          app,
          image: rel.image,
          at: c.time,
          release: rel,
          ran,
          droppedHolds: standing,
        });
        for (const v of violations) {
          // Release config on an image that already soaked: lineage (upstream ran this config) and freezes.
          if (!imageChanged && v.rule !== 'lineage' && v.rule !== 'freeze') continue;
          out.push(ruleViolation(c, ch.env, app, rel.image, v.rule, v.message));
        }
      }
    }
  }
  for (const b of [...backdated.values()].flat()) landedTime(b);
  return out;
}

/**
 * Decides which recorded overrides count: per commit, the overridden violations form the
 * payload an approver must have signed (approval.ts). A commit's authors (its own author, and
 * for a merge the authors of the commits it brings in) cannot approve it.
 */
export async function applyApprovals(
  violations: Violation[],
  commits: EnvCommit[],
  signing: Pick<SigningConfig, 'signers' | 'file'> | undefined,
  authorsOf: (c: EnvCommit) => string[] = (c) => c.authors,
): Promise<Violation[]> {
  const bySha = new Map(commits.map((c) => [c.sha, c]));
  const claimed = new Map<string, Violation[]>();
  for (const v of violations) if (v.overridden) claimed.set(v.commit, [...(claimed.get(v.commit) ?? []), v]);
  for (const [sha, list] of claimed) {
    const c = bySha.get(sha)!;
    const payload = approvalPayload(
      list.map((v) => ({ rule: v.rule, env: v.env!, app: v.app!, image: v.image! })),
      first(c.trailers, TRAILER.ticket),
    );
    const approvers = all(c.trailers, TRAILER.approvedBy);
    const signatures = all(c.trailers, TRAILER.approval);
    let result: ApprovalCheck = {
      ok: false,
      why: 'no Approved-By: and Approval: from a second person with the approver role',
    };
    for (let i = 0; i < Math.max(approvers.length, signatures.length) && !result.ok; i++) {
      result = await checkApproval({
        payload,
        approvedBy: approvers[i],
        signature: signatures[i],
        authors: authorsOf(c),
        committers: c.signature?.fingerprint
          ? signing?.signers
              .filter((s) => s.fingerprint === c.signature!.fingerprint)
              .flatMap((s) => s.principals)
          : [],
        signers: signing?.signers ?? [],
        signersFile: signing?.file,
      });
    }
    for (const v of list) {
      if (result.ok) v.approvedBy = result.approver;
      else {
        v.overridden = false;
        v.approval = `Override: ${v.rule} is recorded but does not count: ${result.why}`;
      }
    }
  }
  return violations;
}
