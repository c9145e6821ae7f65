/**
 * Who may change environments/, read from the repository itself (docs/release.md, "Signed
 * history"):
 *
 * - `release/allowed_signers`: git's SSH allowed-signers file (ssh-keygen(1) "ALLOWED SIGNERS":
 *   `principals [options] keytype base64-key [comment]`), so git and ssh-keygen read it as is.
 *   The free-text comment after the key carries the roles: `roles=release-engineer,approver`.
 * - `release/signing.yaml`: the opt-in. `required: true` makes `history --verify` check the
 *   signature of every first-parent commit that touches environments/ (from `since`, a commit,
 *   when history before it was never signed).
 *
 * Both are read at the revision being verified, so an auditor's checkout decides, and a change to
 * either is itself a reviewed commit.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { z } from 'zod';
import { BlobReader, git } from './git.js';

export const SIGNERS_FILE = 'release/allowed_signers';
export const SIGNING_FILE = 'release/signing.yaml';
export const ROLES = ['release-engineer', 'approver', 'merge-bot'] as const;
export type Role = (typeof ROLES)[number];

export interface Signer {
  /** The principals (usually e-mail addresses) of the line. */
  principals: string[];
  keyType: string;
  key: string;
  /** `SHA256:<base64>`, as git's %GF and `ssh-keygen -l` print it. */
  fingerprint: string;
  roles: Role[];
  line: number;
}

export interface SigningConfig {
  /** Signatures are required on first-parent commits that touch environments/. */
  required: boolean;
  /** The first commit from which they are required (older history was never signed). */
  since: string | undefined;
  signers: Signer[];
  /** A temporary copy of the allowed-signers file for git and ssh-keygen (when the file exists). */
  file: string | undefined;
  dispose(): Promise<void>;
}

/** OpenSSH fingerprint: base64 (unpadded) of the SHA-256 of the key blob (sshkey_fingerprint). */
export function fingerprint(base64Key: string): string {
  return `SHA256:${createHash('sha256').update(Buffer.from(base64Key, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

/** Splits at blanks outside double quotes (options such as `namespaces="git"` may quote). */
function fields(line: string): string[] {
  return line.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
}

const KEY_TYPE = /^(ssh-|ecdsa-|sk-)/;

export function parseAllowedSigners(text: string, file = SIGNERS_FILE): Signer[] {
  const out: Signer[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const f = fields(line);
    const at = f.findIndex((x, j) => j > 0 && KEY_TYPE.test(x));
    if (at < 1 || !f[at + 1])
      throw new Error(`${file}:${i + 1}: expected "principals [options] keytype key"`);
    const comment = f.slice(at + 2).join(' ');
    const m = /(?:^|\s)roles=([\w,-]+)/.exec(comment);
    const roles = (m?.[1] ?? '').split(',').filter(Boolean);
    const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
    if (unknown.length)
      throw new Error(`${file}:${i + 1}: unknown role ${unknown.join(', ')} (roles: ${ROLES.join(', ')})`);
    out.push({
      principals: f[0]!.split(','),
      keyType: f[at]!,
      key: f[at + 1]!,
      fingerprint: fingerprint(f[at + 1]!),
      roles: roles as Role[],
      line: i + 1,
    });
  });
  return out;
}

const Settings = z
  .object({
    required: z.boolean(),
    since: z
      .string()
      .regex(/^[0-9a-f]{7,40}$/)
      .optional(),
  })
  .strict();

/** The files at `rev` (undefined where absent), with one `git cat-file --batch` for all of them. */
async function show(root: string, rev: string, paths: string[]): Promise<(string | undefined)[]> {
  const reader = new BlobReader(root);
  try {
    const texts = Promise.all(paths.map((p) => reader.read(`${rev}:${p}`)));
    await reader.close();
    reader.check();
    return await texts;
  } finally {
    await reader.close();
  }
}

export async function readSigningConfig(root: string, rev: string): Promise<SigningConfig> {
  const [settingsText, signersText] = await show(root, rev, [SIGNING_FILE, SIGNERS_FILE]);
  let required = false;
  let since: string | undefined;
  if (settingsText !== undefined) {
    const parsed = Settings.safeParse(jsyaml.load(settingsText, { schema: jsyaml.CORE_SCHEMA }));
    if (!parsed.success)
      throw new Error(
        `${SIGNING_FILE}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
      );
    required = parsed.data.required;
    if (parsed.data.since) {
      since = (
        await git(root, ['rev-parse', '--verify', '--quiet', `${parsed.data.since}^{commit}`]).catch(() => '')
      ).trim();
      if (!since) throw new Error(`${SIGNING_FILE}: since: ${parsed.data.since} is not a commit`);
    }
  }
  if (required && signersText === undefined)
    throw new Error(`${SIGNING_FILE} requires signatures, but ${SIGNERS_FILE} does not exist at ${rev}`);
  const signers = signersText === undefined ? [] : parseAllowedSigners(signersText);
  let dir: string | undefined;
  let file: string | undefined;
  if (signersText !== undefined) {
    dir = await mkdtemp(join(tmpdir(), 'payday-signers-'));
    file = join(dir, 'allowed_signers');
    await writeFile(file, signersText);
  }
  return {
    required,
    since,
    signers,
    file,
    dispose: async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
