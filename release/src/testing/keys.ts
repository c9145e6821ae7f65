/**
 * Real SSH keys for the signing and approval tests, made with ssh-keygen in the test's own
 * temporary directory, and the allowed-signers line git and ssh-keygen read for each.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Role } from '../git/signers.js';

const run = promisify(execFile);

export interface TestKey {
  principal: string;
  /** Private key file (for git's user.signingkey and ssh-keygen -Y sign). */
  file: string;
  publicKey: string;
  roles: Role[];
}

export async function makeKey(principal: string, roles: Role[]): Promise<TestKey> {
  const dir = await mkdtemp(join(tmpdir(), 'payday-key-'));
  const file = join(dir, 'id_ed25519');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', principal, '-f', file]);
  const publicKey = (await readFile(`${file}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ');
  return { principal, file, publicKey, roles };
}

/** release/allowed_signers for these keys (git's SSH format, roles in the comment). */
export function allowedSigners(keys: TestKey[]): string {
  return `# principal  options  key  roles\n${keys
    .map((k) => `${k.principal} namespaces="git,payday-approval" ${k.publicKey} roles=${k.roles.join(',')}`)
    .join('\n')}\n`;
}

/** Git environment that signs commits with `key` (SSH signing, git-config(1) gpg.format). */
export function signingEnv(key: TestKey): NodeJS.ProcessEnv {
  return {
    GIT_CONFIG_COUNT: '3',
    GIT_CONFIG_KEY_0: 'gpg.format',
    GIT_CONFIG_VALUE_0: 'ssh',
    GIT_CONFIG_KEY_1: 'user.signingkey',
    GIT_CONFIG_VALUE_1: key.file,
    GIT_CONFIG_KEY_2: 'commit.gpgsign',
    GIT_CONFIG_VALUE_2: 'true',
  };
}
