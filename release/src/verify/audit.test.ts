/**
 * The attacks an auditor must not be fooled by (docs/release.md, "Threat model"), each
 * reproduced in a real temporary repository with real merges (merge commit, squash, rebase) and
 * real SSH keys, and each caught with a message that names the commit and the rule. The
 * legitimate flows of the README pass alongside them.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main as historyCli } from '../cli/history.js';
import { approve } from '../commands/approve.js';
import { type PromoteOptions, promote } from '../commands/promote.js';
import { Refusal } from '../commands/refusal.js';
import { rollback } from '../commands/rollback.js';
import { SIGNERS_FILE, SIGNING_FILE } from '../git/signers.js';
import { formatViolations } from '../report/history-format.js';
import { allowedSigners, makeKey, signingEnv, type TestKey } from '../testing/keys.js';
import { smallPipeline } from '../testing/pipeline.js';
import { hour, image, TestRepo } from '../testing/repo.js';
import { release, type Story, startStory } from '../testing/story.js';
import { type Audit, auditHistory } from './audit.js';

let story: Story;
let repo: TestRepo;
let ana: TestKey;
let rel: TestKey;

beforeEach(async () => {
  story = await startStory();
  repo = story.repo;
  ana = await makeKey('ana@payday.example', ['approver']);
  rel = await makeKey('rel@payday.example', ['release-engineer']);
  await repo.commit({ [SIGNERS_FILE]: allowedSigners([ana, rel]) }, 'chore(release): signers', hour(0.5));
  await story.change(
    'dev',
    { release: { ...release('1.0.0', 1), api: { version: '1.1.0', image: image('api', 2) } } },
    'ci: api 1.1.0 to dev',
    hour(1),
    'CI',
  );
});
afterEach(async () => {
  await repo.remove();
  for (const k of [ana, rel]) await rm(join(k.file, '..'), { recursive: true, force: true });
});

function run(at: Date, o: Partial<PromoteOptions> & Pick<PromoteOptions, 'to'>, env: NodeJS.ProcessEnv = {}) {
  return promote({
    cwd: repo.dir,
    apps: ['api'],
    pipeline: smallPipeline,
    now: at,
    gitEnv: { ...TestRepo.dated(at, 'Rel Engineer'), ...env },
    ...o,
  });
}

async function audit(only?: string[]): Promise<Audit> {
  return auditHistory(repo.dir, { only: only ? new Set(only) : undefined });
}

/** The open violations as `<commit> <rule> <message>` lines, the way an auditor reads them. */
function open(a: Audit): string[] {
  return a.violations.filter((v) => !v.overridden).map((v) => `${v.commit} ${v.rule}: ${v.message}`);
}

async function verifyCli(...args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await historyCli(['--verify', ...args], {
    cwd: repo.dir,
    out: (t) => {
      out += t;
    },
    err: (t) => {
      out += t;
    },
  });
  return { code, out };
}

/** Merges `branch` into main the way a hosting service does it, at `at`. */
async function land(
  branch: string,
  how: 'merge' | 'squash' | 'rebase',
  at: Date,
  env: NodeJS.ProcessEnv = {},
) {
  const dated = { ...TestRepo.dated(at, 'Merge Bot'), ...env };
  if (how === 'merge') await repo.git(['merge', '--quiet', '--no-ff', '--no-edit', branch], dated);
  if (how === 'squash') {
    await repo.git(['merge', '--quiet', '--squash', branch], dated);
    // git's own squash message (SQUASH_MSG): every squashed commit's message, indented.
    await repo.git(['commit', '--quiet', '--no-edit'], dated);
  }
  if (how === 'rebase') {
    await repo.git(['rebase', '--quiet', 'main', branch], dated);
    await repo.git(['switch', '--quiet', 'main']);
    await repo.git(['merge', '--quiet', '--ff-only', branch], dated);
  }
  return repo.head();
}

describe('1. backdating', () => {
  it('flags a first-parent commit dated earlier than its parent, and the soak it faked', async () => {
    // staging promoted "3 days ago" (GIT_COMMITTER_DATE), then prod at once: soak looks served.
    await run(hour(30), { to: 'staging' }, TestRepo.dated(hour(-72), 'Rel Engineer'));
    const backdated = await repo.head();
    await run(hour(31), { to: 'prod' });
    const a = await audit();
    expect(open(a)).toEqual([
      `${backdated} landed-time: committed at ${hour(-72).toISOString()}, earlier than its first parent ${(await repo.git(['rev-parse', `${backdated}~1`])).trim().slice(0, 12)} (${hour(1).toISOString()}): a first-parent commit cannot land before its parent`,
      `${backdated} lineage: staging promotes from dev, and dev never ran api ${image('api', 2)}`,
    ]);
    const cli = await verifyCli();
    expect(cli.code).toBe(1);
    expect(cli.out).toContain(
      `✗ violation   ${backdated.slice(0, 12)}  2026-10-30 09:00  commit  landed-time: committed at`,
    );
  });
});

describe('1b. future-dating', () => {
  it('flags a first-parent commit dated after the verifier clock, the other way to fake soak', async () => {
    await run(hour(30), { to: 'staging' });
    // The prod promotion dated three days ahead of the real clock: soak looks served.
    const ahead = new Date(Math.floor(Date.now() / 1000) * 1000 + 72 * 3_600_000);
    await run(ahead, { to: 'prod' });
    const prod = await repo.head();
    const a = await audit();
    expect(open(a).map((l) => l.replace(/clock \([^)]*\)/, 'clock (NOW)'))).toEqual([
      `${prod} landed-time: committed at ${ahead.toISOString()}, later than the verifier's clock (NOW): a first-parent commit cannot land in the future`,
    ]);
    expect((await verifyCli()).code).toBe(1);
  });
});

describe('2. PR branches count from when they landed', () => {
  it('measures soak from the merge, not from the branch commit', async () => {
    await run(hour(4), { to: 'staging', branch: 'promote/staging-api' });
    const merge = await land('promote/staging-api', 'merge', hour(50));
    // Two days on a branch are not two days in staging: it landed at hour 50.
    const err = await run(hour(51), { to: 'prod' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Refusal);
    expect((err as Refusal).why).toBe(
      `promotion into prod is blocked:\n    soak: api ${image('api', 2)} has run in staging for 1h; prod requires a soak of 24h`,
    );
    const a = await audit();
    expect(open(a)).toEqual([]);
    const staging = a.history.timeline.get('staging')!.get('api')!.at(-1)!;
    expect(staging).toMatchObject({ commit: merge, time: hour(50).getTime(), image: image('api', 2) });
    // Done by hand anyway: verify names the commit and the rule, measured from the merge.
    const byHand = await story.change(
      'prod',
      { release: { api: { version: '1.1.0', image: image('api', 2) } } },
      'chore(prod): api 1.1.0',
      hour(51),
    );
    expect(open(await audit())).toEqual([
      `${byHand} soak: api ${image('api', 2)} has run in staging for 1h; prod requires a soak of 24h`,
    ]);
  });
});

describe('3. merge commits', () => {
  it('sees, attributes and checks a merge that itself changes prod, in history and in --range', async () => {
    const base = await repo.head();
    await repo.git(['switch', '--quiet', '-c', 'topic']);
    await story.change('prod', { replicas: 5 }, 'chore(prod): api replicas 5', hour(2));
    await repo.git(['switch', '--quiet', 'main']);
    await repo.git(['merge', '--quiet', '--no-ff', '--no-commit', 'topic'], TestRepo.dated(hour(3)));
    // The merge's own edit: a digest staging never ran, written while resolving the merge.
    const prod = await readFile(join(repo.dir, 'environments/prod.yaml'), 'utf8');
    await writeFile(join(repo.dir, 'environments/prod.yaml'), prod.replace(image('api', 1), image('api', 9)));
    await repo.git(['commit', '--quiet', '--no-edit', '-a'], TestRepo.dated(hour(3), 'Sneaky Sam'));
    const merge = await repo.head();
    const a = await audit();
    expect(open(a)).toEqual([
      `${merge} lineage: prod promotes from staging, and staging never ran api ${image('api', 9)}`,
    ]);
    expect(a.violations[0]).toMatchObject({ author: 'Sneaky Sam', env: 'prod', app: 'api' });
    const range = await verifyCli('--range', `${base}..HEAD`);
    expect(range.code).toBe(1);
    expect(range.out).toContain(`✗ violation   ${merge.slice(0, 12)}`);
    expect(range.out.trim().split('\n').at(-1)).toBe(
      '✗ 1 environment commit(s) checked: 1 rule violation(s), 0 overridden, 1 without an approved override',
    );
    const full = await auditHistory(repo.dir, { entries: true });
    expect(full.history.entries.find((e) => e.commit === merge && e.app === 'api')).toMatchObject({
      kind: 'hand edit',
      toImage: image('api', 9),
    });
  });
});

describe('4. overrides need a second person', () => {
  const handOverride = (extra = '') =>
    `fix(prod): api straight to prod\n\nOverride: lineage\nReason: settlement bug\nTicket: INC-81\n${extra}`;

  it('rejects a hand-written override without an approval, and a self-approved one', async () => {
    const bare = await story.change(
      'prod',
      { release: { api: { version: '1.1.0', image: image('api', 2) } } },
      handOverride(),
      hour(2),
      'Rel Engineer',
    );
    let a = await audit();
    expect(a.violations.map((v) => `${v.commit} ${v.rule} ${v.overridden} ${v.approval}`)).toEqual([
      `${bare} lineage false Override: lineage is recorded but does not count: no Approved-By: and Approval: from a second person with the approver role`,
    ]);
    // The author is also an approver and approves their own override: still one person.
    const self = await makeKey('rel.engineer@payday.example', ['approver', 'release-engineer']);
    await repo.commit(
      { [SIGNERS_FILE]: allowedSigners([ana, rel, self]) },
      'chore(release): signers',
      hour(2.5),
    );
    await story.change(
      'prod',
      { release: { api: { version: '1.0.0', image: image('api', 1) } } },
      'revert',
      hour(3),
    );
    await story.change(
      'prod',
      { release: { api: { version: '1.1.0', image: image('api', 2) } } },
      handOverride(),
      hour(4),
      'Rel Engineer',
    );
    const refused = await approve({ cwd: repo.dir, key: self.file, as: self.principal }).catch(
      (e: unknown) => e,
    );
    expect((refused as Refusal).why).toBe(
      'this approval would not count: self-approved: rel.engineer@payday.example is the author of the change',
    );
    // Written by hand anyway: verify says the same.
    const { signApproval, approvalPayload } = await import('./approval.js');
    const sig = await signApproval(
      approvalPayload([{ rule: 'lineage', env: 'prod', app: 'api', image: image('api', 2) }], 'INC-81'),
      self.file,
    );
    await repo.git(
      [
        'commit',
        '--quiet',
        '--amend',
        '--no-edit',
        '--trailer',
        `Approved-By: ${self.principal}`,
        '--trailer',
        `Approval: ${sig}`,
      ],
      TestRepo.dated(hour(4)),
    );
    const selfApproved = await repo.head();
    a = await audit([selfApproved]);
    expect(a.violations.map((v) => v.approval)).toEqual([
      'Override: lineage is recorded but does not count: self-approved: rel.engineer@payday.example is the author of the change',
    ]);
    await rm(join(self.file, '..'), { recursive: true, force: true });
  });

  it('counts an override approved by a second person, and only for what was approved', async () => {
    await run(hour(4), { to: 'staging' });
    await run(hour(5), { to: 'prod', overrides: ['soak'], reason: 'payout fix', ticket: 'PAY-512' });
    const r = await approve({
      cwd: repo.dir,
      key: ana.file,
      as: ana.principal,
      gitEnv: TestRepo.dated(hour(5)),
    });
    expect(r.payload).toBe(
      `payday override approval v1\noverride soak prod/api ${image('api', 2)}\nticket PAY-512\n`,
    );
    let a = await audit();
    expect(a.violations.map((v) => `${v.commit} ${v.rule} ${v.overridden} ${v.approvedBy}`)).toEqual([
      `${r.commit} soak true ana@payday.example`,
    ]);
    expect(formatViolations(a.violations, a.checked)).toContain(
      'Reason: payout fix; approved by ana@payday.example',
    );
    // The same approval pasted onto another ticket does not verify.
    const msg = (await repo.message()).replace('Ticket: PAY-512', 'Ticket: PAY-999');
    await repo.git(['commit', '--quiet', '--amend', '--file=-'], TestRepo.dated(hour(5)), msg);
    a = await audit();
    expect(a.violations.map((v) => v.approval)).toEqual([
      'Override: soak is recorded but does not count: the Approval: signature does not verify for ana@payday.example over this change',
    ]);
  });
});

describe('5. release config follows lineage', () => {
  it('flags a release config flipped in prod by hand, and passes one promoted from staging', async () => {
    const flip = (env: string, at: number) =>
      story.change(
        env,
        {
          release: {
            api: { version: '1.0.0', image: image('api', 1), config: { REFUNDS_PARTIAL_ENABLED: 'true' } },
          },
        },
        `chore(${env}): partial refunds on`,
        hour(at),
      );
    const byHand = await flip('prod', 2);
    expect(open(await audit())).toEqual([
      `${byHand} lineage: prod promotes from staging, and staging never ran api ${image('api', 1)} with this release.api.config`,
    ]);
    await repo.git(['reset', '--quiet', '--hard', 'HEAD~1']);
    // The documented way: the config runs in dev, then staging, then prod, by promotion.
    await flip('dev', 2);
    await run(hour(3), { to: 'staging' });
    await run(hour(4), { to: 'prod' });
    expect(open(await audit())).toEqual([]);
  });
});

describe('6. holds are lifted only by a promotion', () => {
  it('flags holds: [] by hand, and keeps holding the digest for promote and verify', async () => {
    await run(hour(4), { to: 'staging' });
    await run(hour(30), { to: 'prod' });
    await rollback({
      cwd: repo.dir,
      app: 'api',
      env: 'prod',
      reason: 'p99 latency',
      pipeline: smallPipeline,
      gitEnv: TestRepo.dated(hour(31)),
    });
    const cleared = await story.change('prod', { holds: [] }, 'chore(prod): tidy holds', hour(32));
    const err = await run(hour(33), { to: 'prod' }).catch((e: unknown) => e);
    expect((err as Refusal).why).toBe(
      `promotion into prod is blocked:\n    hold: prod holds api ${image('api', 2)}: it was rolled back (p99 latency), and the hold was removed without the documented lift`,
    );
    // Done by hand anyway: both the removal and the re-promotion are named.
    const back = await story.change(
      'prod',
      { release: { api: { version: '1.1.0', image: image('api', 2) } } },
      'api back',
      hour(34),
    );
    expect(open(await audit())).toEqual([
      `${cleared} hold: removes the hold on api ${image('api', 2)} without the documented lift (a promotion of a newer api release, which replaces the image in the same commit)`,
      `${back} hold: prod holds api ${image('api', 2)}: it was rolled back (p99 latency), and the hold was removed without the documented lift`,
    ]);
  });

  it('lets a promotion of a newer release lift the hold (the documented flow)', async () => {
    await run(hour(4), { to: 'staging' });
    await run(hour(30), { to: 'prod' });
    await rollback({
      cwd: repo.dir,
      app: 'api',
      env: 'prod',
      reason: 'p99',
      pipeline: smallPipeline,
      gitEnv: TestRepo.dated(hour(31)),
    });
    await story.change(
      'dev',
      { release: { api: { version: '1.2.0', image: image('api', 3) } } },
      'ci: api 1.2.0',
      hour(32),
      'CI',
    );
    await run(hour(35), { to: 'staging' });
    await run(hour(60), { to: 'prod' });
    expect(await readFile(join(repo.dir, 'environments/prod.yaml'), 'utf8')).toContain('holds: []');
    expect(open(await audit())).toEqual([]);
  });
});

describe('7. promotions keep their evidence through every kind of merge', () => {
  for (const how of ['merge', 'squash', 'rebase'] as const) {
    it(`reads the trailers of an approved override landed by a ${how}`, async () => {
      await run(hour(4), { to: 'staging' });
      await repo.git(['switch', '--quiet', '-c', 'promote/prod-api']);
      await run(hour(5), { to: 'prod', overrides: ['soak'], reason: 'payout fix', ticket: 'PAY-512' });
      await approve({ cwd: repo.dir, key: ana.file, as: ana.principal, gitEnv: TestRepo.dated(hour(5)) });
      await repo.git(['switch', '--quiet', 'main']);
      // Something else lands on main meanwhile, so the merge is a real one.
      await story.change('dev', { replicas: 3 }, 'chore(dev): replicas', hour(6));
      const landed = await land('promote/prod-api', how, hour(7));
      // Only the rebased commit still carries its trailers where git looks: a merge commit has
      // its own message, and git's squash message indents the squashed ones.
      const gitSees = (await repo.git(['log', '-1', '--format=%(trailers:only)', landed])).trim();
      expect(gitSees === '').toBe(how !== 'rebase');
      const a = await auditHistory(repo.dir, { entries: true });
      expect(a.violations.map((v) => `${v.commit} ${v.rule} ${v.overridden}`)).toEqual([
        `${landed} soak true`,
      ]);
      expect(
        a.history.entries.filter((e) => e.commit === landed).map((e) => `${e.env} ${e.app} ${e.kind}`),
      ).toEqual(['prod api override']);
    });
  }
});

describe("7b. a squash message with the hosting service's own trailers", () => {
  it('still reads the release trailers it quotes', async () => {
    await run(hour(4), { to: 'staging' });
    await repo.git(['switch', '--quiet', '-c', 'promote/prod-api']);
    await run(hour(5), { to: 'prod', overrides: ['soak'], reason: 'payout fix', ticket: 'PAY-512' });
    await approve({ cwd: repo.dir, key: ana.file, as: ana.principal, gitEnv: TestRepo.dated(hour(5)) });
    await repo.git(['switch', '--quiet', 'main']);
    await story.change('dev', { replicas: 3 }, 'chore(dev): replicas', hour(6));
    const dated = TestRepo.dated(hour(7), 'Merge Bot');
    await repo.git(['merge', '--quiet', '--squash', 'promote/prod-api'], dated);
    const squashMsg = await readFile(join(repo.dir, '.git', 'SQUASH_MSG'), 'utf8');
    await repo.git(
      ['commit', '--quiet', '--file=-'],
      dated,
      `${squashMsg.trimEnd()}\n\nCo-authored-by: Ana <ana@payday.example>\n`,
    );
    const landed = await repo.head();
    expect((await repo.git(['log', '-1', '--format=%(trailers:only)', landed])).trim()).toBe(
      'Co-authored-by: Ana <ana@payday.example>',
    );
    const a = await audit();
    expect(a.violations.map((v) => `${v.commit} ${v.rule} ${v.overridden} ${v.approvedBy}`)).toEqual([
      `${landed} soak true ana@payday.example`,
    ]);
  });
});

describe('8. rendered output', () => {
  it('flags a first-parent commit that edits gitops/ without its sources', async () => {
    const file = 'gitops/prod/api/deployment.yaml';
    const text = await readFile(join(repo.dir, file), 'utf8');
    const edit = await repo.commit(
      { [file]: text.replace(image('api', 1), image('api', 9)) },
      'fix: hot patch',
      hour(2),
    );
    expect(open(await audit())).toEqual([
      `${edit} rendered: hand edit of rendered output: changes ${file} without a change to environments/, generators/ or policies/ (gitops/ is written only by npm run render)`,
    ]);
    // Still named once it is no longer HEAD.
    await story.change('prod', { replicas: 4 }, 'chore(prod): replicas', hour(3));
    expect(open(await audit())).toHaveLength(1);
  });
});

describe('signed history', () => {
  const optIn = (extra = '') =>
    repo.commit(
      { [SIGNING_FILE]: `required: true\n${extra}` },
      'chore(release): require signed history',
      hour(1.5),
    );

  it('names each commit that is unsigned, signed by an unknown key, or by a signer without the role', async () => {
    const eve = await makeKey('eve@payday.example', ['release-engineer']);
    const since = await optIn();
    await run(hour(4), { to: 'staging' }, signingEnv(rel));
    await story.change('dev', { replicas: 3 }, 'chore(dev): unsigned', hour(5));
    const unsigned = await repo.head();
    await repo.git(['commit', '--quiet', '--amend', '--no-edit'], {
      ...TestRepo.dated(hour(5)),
      ...signingEnv(eve),
    });
    const unknown = await repo.head();
    await story.change('dev', { replicas: 4 }, 'chore(dev): by the approver', hour(6));
    await repo.git(['commit', '--quiet', '--amend', '--no-edit'], {
      ...TestRepo.dated(hour(6)),
      ...signingEnv(ana),
    });
    const approverOnly = await repo.head();
    await story.change('dev', { replicas: 5 }, 'chore(dev): unsigned', hour(7));
    const plain = await repo.head();
    const a = await audit();
    const fp = (await readFile(`${eve.file}.pub`, 'utf8')).split(' ')[1]!;
    const { fingerprint } = await import('../git/signers.js');
    expect(open(a)).toEqual([
      // Before the opt-in nothing was signed; the commits before it are listed (no `since`).
      ...(await repo.git(['rev-list', '--reverse', '--first-parent', `${since}~1`, '--', 'environments/']))
        .split('\n')
        .filter(Boolean)
        .map(
          (c) =>
            `${c} signature: unsigned commit changes environments/; release/signing.yaml requires signed history`,
        ),
      `${unknown} signature: signed by a key not in release/allowed_signers (${fingerprint(fp)}); release/signing.yaml requires signed history`,
      `${approverOnly} signature: signed by ana@payday.example, whose roles (approver) do not include release-engineer or merge-bot; release/signing.yaml requires signed history`,
      `${plain} signature: unsigned commit changes environments/; release/signing.yaml requires signed history`,
    ]);
    expect(unsigned).not.toBe(unknown);
    await rm(join(eve.file, '..'), { recursive: true, force: true });
  });

  it('checks from the cutover commit on, and passes a signed promote and a signed merge-bot merge', async () => {
    const bot = await makeKey('merge-bot@payday.example', ['merge-bot']);
    await repo.commit({ [SIGNERS_FILE]: allowedSigners([ana, rel, bot]) }, 'chore(release): bot', hour(1.2));
    const cutover = (await repo.head()).slice(0, 12);
    await optIn(`since: ${cutover}\n`);
    await run(hour(4), { to: 'staging' }, signingEnv(rel));
    await repo.git(['switch', '--quiet', '-c', 'promote/prod-api']);
    await run(hour(30), { to: 'prod' });
    await repo.git(['switch', '--quiet', 'main']);
    await land('promote/prod-api', 'merge', hour(31), signingEnv(bot));
    const a = await audit();
    expect(open(a)).toEqual([]);
    expect(a.signing).toMatchObject({ required: true, signers: 3 });
    await rm(join(bot.file, '..'), { recursive: true, force: true });
  });

  it('does not let the signer of a change approve it under a forged author', async () => {
    // Rita holds both roles; the author field is free text, her signature is not.
    const rita = await makeKey('rita@payday.example', ['release-engineer', 'approver']);
    await repo.commit(
      { [SIGNERS_FILE]: allowedSigners([ana, rel, rita]) },
      'chore(release): signers',
      hour(1.2),
    );
    await optIn();
    const { signApproval, approvalPayload } = await import('./approval.js');
    const sig = await signApproval(
      approvalPayload([{ rule: 'lineage', env: 'prod', app: 'api', image: image('api', 2) }], 'INC-81'),
      rita.file,
    );
    await story.change(
      'prod',
      { release: { api: { version: '1.1.0', image: image('api', 2) } } },
      `fix(prod): api straight to prod\n\nOverride: lineage\nReason: settlement bug\nTicket: INC-81\nApproved-By: ${rita.principal}\nApproval: ${sig}\n`,
      hour(2),
      'Someone Else',
    );
    await repo.git(['commit', '--quiet', '--amend', '--no-edit'], {
      ...TestRepo.dated(hour(2), 'Someone Else'),
      ...signingEnv(rita),
    });
    const forged = await repo.head();
    const a = await audit([forged]);
    expect(a.violations.map((v) => `${v.commit} ${v.rule} ${v.overridden} ${v.approval}`)).toEqual([
      `${forged} lineage false Override: lineage is recorded but does not count: self-approved: rita@payday.example signed the change`,
    ]);
    await rm(join(rita.file, '..'), { recursive: true, force: true });
  });

  it('refuses a malformed setting with its file and field', async () => {
    await repo.commit({ [SIGNING_FILE]: 'required: yes please\n' }, 'chore: bad', hour(2));
    await expect(audit()).rejects.toThrow(
      `${SIGNING_FILE}: required: Invalid input: expected boolean, received string`,
    );
  });
});
