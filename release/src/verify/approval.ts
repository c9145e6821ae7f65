/**
 * Two-person overrides (docs/release.md, "Overrides need a second person"). An `Override:` counts
 * only when someone else with the `approver` role signed an approval of exactly what it lets
 * through, and that approval travels in the commit message:
 *
 *     Approved-By: ana@payday.example
 *     Approval: <the SSH signature, base64, one line>
 *
 * The signature (`ssh-keygen -Y sign -n payday-approval`) covers a payload that names every
 * overridden rule with its environment, app and image digest, and the ticket. It does not name
 * the commit, so it survives every merge strategy (a merge, a squash and a rebase all rewrite
 * commits but keep the message), and it cannot be moved to a different image, environment,
 * rule or ticket. `ssh-keygen -Y verify` against release/allowed_signers proves the key belongs
 * to that approver, from the repository alone.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Signer } from '../git/signers.js';

export const APPROVAL_NAMESPACE = 'payday-approval';

export interface OverriddenChange {
  rule: string;
  env: string;
  app: string;
  image: string;
}

/** The exact bytes an approver signs: sorted, one line per overridden rule, then the ticket. */
export function approvalPayload(changes: OverriddenChange[], ticket: string | undefined): string {
  const lines = [...new Set(changes.map((c) => `override ${c.rule} ${c.env}/${c.app} ${c.image}`))].sort();
  return `payday override approval v1\n${lines.join('\n')}\nticket ${ticket ?? '(none)'}\n`;
}

function run(
  cmd: string,
  args: string[],
  input: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(input);
  });
}

const BEGIN = '-----BEGIN SSH SIGNATURE-----';
const END = '-----END SSH SIGNATURE-----';

/** Signs the payload with a private key file; returns the one-line `Approval:` value. */
export async function signApproval(payload: string, keyFile: string): Promise<string> {
  const r = await run('ssh-keygen', ['-q', '-Y', 'sign', '-n', APPROVAL_NAMESPACE, '-f', keyFile], payload);
  if (r.code !== 0) throw new Error(`ssh-keygen -Y sign failed: ${r.stderr.trim()}`);
  const body = r.stdout.slice(r.stdout.indexOf(BEGIN) + BEGIN.length, r.stdout.indexOf(END));
  return body.replace(/\s+/g, '');
}

export type ApprovalCheck = { ok: true; approver: string } | { ok: false; why: string };

/**
 * Checks one approval: the principal has the approver role, is not one of `authors` (nobody
 * approves their own override), and the signature verifies over `payload` with that
 * principal's key (ssh-keygen(1) `-Y verify`, which reads the same allowed-signers file git does).
 */
export async function checkApproval(opts: {
  payload: string;
  approvedBy: string | undefined;
  signature: string | undefined;
  authors: string[];
  /** Principals of the key that signed the landed commit (signed history): they cannot approve it either. */
  committers?: string[];
  signers: Signer[];
  signersFile: string | undefined;
}): Promise<ApprovalCheck> {
  const who = opts.approvedBy?.trim();
  if (!who || !opts.signature)
    return { ok: false, why: 'no Approved-By: and Approval: from a second person with the approver role' };
  if (!opts.signersFile)
    return { ok: false, why: 'release/allowed_signers does not exist, so no approver can be proven' };
  const lower = who.toLowerCase();
  if (opts.authors.some((a) => a.toLowerCase() === lower))
    return { ok: false, why: `self-approved: ${who} is the author of the change` };
  // The author field is free text; a signature is not: whoever signed the change is not a second person.
  if (opts.committers?.some((a) => a.toLowerCase() === lower))
    return { ok: false, why: `self-approved: ${who} signed the change` };
  const approvers = opts.signers.filter(
    (s) => s.roles.includes('approver') && s.principals.some((p) => p.toLowerCase() === lower),
  );
  if (approvers.length === 0)
    return { ok: false, why: `${who} has no approver role in release/allowed_signers` };
  const armored = `${BEGIN}\n${opts.signature.match(/.{1,70}/g)?.join('\n') ?? ''}\n${END}\n`;
  const dir = await mkdtemp(join(tmpdir(), 'payday-approval-'));
  try {
    const sig = join(dir, 'approval.sig');
    await writeFile(sig, armored);
    const r = await run(
      'ssh-keygen',
      ['-Y', 'verify', '-f', opts.signersFile, '-I', who, '-n', APPROVAL_NAMESPACE, '-s', sig],
      opts.payload,
    );
    if (r.code !== 0)
      return { ok: false, why: `the Approval: signature does not verify for ${who} over this change` };
    // ssh-keygen prints the key that verified: it must be one listed with the approver role.
    const fp = /key (SHA256:[A-Za-z0-9+/]+)/.exec(r.stdout + r.stderr)?.[1];
    if (!fp || !approvers.some((s) => s.fingerprint === fp))
      return { ok: false, why: `${who} signed with a key that has no approver role` };
    return { ok: true, approver: who };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
