import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { allowedSigners, makeKey } from '../testing/keys.js';
import { fingerprint, parseAllowedSigners } from './signers.js';

const run = promisify(execFile);

describe('release/allowed_signers', () => {
  it('reads principals, options, key and roles, with the fingerprint ssh-keygen prints', async () => {
    const key = await makeKey('ana@payday.example', ['approver', 'release-engineer']);
    try {
      const [signer] = parseAllowedSigners(allowedSigners([key]));
      const { stdout } = await run('ssh-keygen', ['-l', '-f', `${key.file}.pub`]);
      expect(signer).toMatchObject({
        principals: ['ana@payday.example'],
        keyType: 'ssh-ed25519',
        roles: ['approver', 'release-engineer'],
        line: 2,
      });
      expect(stdout.split(' ')[1]).toBe(signer!.fingerprint);
      expect(fingerprint(key.publicKey.split(' ')[1]!)).toBe(signer!.fingerprint);
    } finally {
      await rm(join(key.file, '..'), { recursive: true, force: true });
    }
  });

  it('rejects a line without a key and an unknown role, naming the line', () => {
    expect(() => parseAllowedSigners('# ok\nana@payday.example roles=approver\n')).toThrow(
      'release/allowed_signers:2: expected "principals [options] keytype key"',
    );
    expect(() =>
      parseAllowedSigners('bob@payday.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample roles=admin\n'),
    ).toThrow('release/allowed_signers:1: unknown role admin (roles: release-engineer, approver, merge-bot)');
    expect(
      parseAllowedSigners('bob@payday.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample\n')[0]!.roles,
    ).toEqual([]);
  });
});
