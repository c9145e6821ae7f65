import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promote } from '../commands/promote.js';
import { SIGNERS_FILE } from '../git/signers.js';
import { captureIo } from '../testing/io.js';
import { allowedSigners, makeKey, type TestKey } from '../testing/keys.js';
import { smallPipeline } from '../testing/pipeline.js';
import { hour, image, TestRepo } from '../testing/repo.js';
import { startStory } from '../testing/story.js';
import { main } from './approve.js';

let repo: TestRepo;
let ana: TestKey;

beforeEach(async () => {
  const story = await startStory();
  repo = story.repo;
  ana = await makeKey('ana@payday.example', ['approver']);
  await repo.commit({ [SIGNERS_FILE]: allowedSigners([ana]) }, 'chore(release): signers', hour(0.5));
  await story.change(
    'dev',
    { release: { api: { version: '1.1.0', image: image('api', 2) } } },
    'ci',
    hour(1),
  );
});
afterEach(async () => {
  await repo.remove();
  await rm(join(ana.file, '..'), { recursive: true, force: true });
});

async function run(...argv: string[]) {
  const io = captureIo(repo.dir);
  const code = await main(argv, io, TestRepo.dated(hour(2)));
  return { code, ...io };
}

describe('npm run approve', () => {
  it('signs the override HEAD records and adds Approved-By: and Approval: to its message', async () => {
    await promote({
      cwd: repo.dir,
      apps: ['api'],
      from: 'dev',
      to: 'prod',
      overrides: ['lineage'],
      reason: 'hotfix',
      ticket: 'INC-7',
      pipeline: smallPipeline,
      now: hour(2),
      gitEnv: TestRepo.dated(hour(2), 'Rel Engineer'),
    });
    const before = await repo.head();
    const dry = await run('--key', ana.file, '--as', ana.principal, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(
      `would sign as ana@payday.example:\n\n  payday override approval v1\n  override lineage prod/api ${image('api', 2)}\n  ticket INC-7\n\n`,
    );
    expect(await repo.head()).toBe(before);
    const r = await run('--key', ana.file, '--as', ana.principal);
    expect(r.code).toBe(0);
    const after = await repo.head();
    expect(r.stdout).toContain(
      `amended ${before.slice(0, 12)} → ${after.slice(0, 12)} with Approved-By: and Approval:`,
    );
    const message = await repo.message();
    expect(message).toMatch(
      /\nTicket: INC-7\nApproved-By: ana@payday\.example\nApproval: [A-Za-z0-9+/=]{100,}\n+$/,
    );
    // Author, tree and parent are those of the promotion: only the message gained the approval.
    expect(await repo.git(['log', '-1', '--format=%an %T %P', after])).toBe(
      await repo.git(['log', '-1', '--format=%an %T %P', before]),
    );
  });

  it('refuses when HEAD records no override, and rejects bad usage', async () => {
    const before = await repo.fingerprint();
    const none = await run('--key', ana.file, '--as', ana.principal);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      `approve refused: ${(await repo.head()).slice(0, 12)} records no override to approve\n  → approve the commit that records the override: check it out (git switch <promote branch>) and run approve there\nNothing was changed.\n`,
    );
    const noKey = await run();
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('approve: --key <private key file> is required');
    const positional = await run('HEAD~1', '--key', ana.file);
    expect(positional.code).toBe(2);
    expect(await repo.fingerprint()).toBe(before);
  });
});
