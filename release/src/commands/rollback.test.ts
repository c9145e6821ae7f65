import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSnapshot } from '../environments/snapshot.js';
import { smallPipeline } from '../testing/pipeline.js';
import { hour, image, TestRepo } from '../testing/repo.js';
import { release, type Story, startStory } from '../testing/story.js';
import { type PromoteOptions, promote } from './promote.js';
import { Refusal } from './refusal.js';
import { type RollbackOptions, rollback } from './rollback.js';

let story: Story;
let repo: TestRepo;
let prodPromotion: string;

function promoteAt(at: Date, o: Partial<PromoteOptions> & Pick<PromoteOptions, 'to'>) {
  return promote({
    cwd: repo.dir,
    apps: ['api'],
    pipeline: smallPipeline,
    now: at,
    gitEnv: TestRepo.dated(at),
    ...o,
  });
}
function rollbackAt(at: Date, o: Partial<RollbackOptions>) {
  return rollback({
    cwd: repo.dir,
    app: 'api',
    env: 'prod',
    reason: '5xx above SLO',
    pipeline: smallPipeline,
    gitEnv: TestRepo.dated(at),
    ...o,
  });
}
async function refusedRollback(o: Partial<RollbackOptions>): Promise<Refusal> {
  const before = await repo.fingerprint();
  const err = await rollbackAt(hour(31), o).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(Refusal);
  expect(await repo.fingerprint()).toBe(before);
  return err as Refusal;
}

beforeEach(async () => {
  story = await startStory();
  repo = story.repo;
  await story.change(
    'dev',
    { release: { ...release('1.0.0', 1), api: { version: '1.1.0', image: image('api', 2) } } },
    'ci: api 1.1.0',
    hour(1),
  );
  await promoteAt(hour(4), { to: 'staging' });
  prodPromotion = (await promoteAt(hour(30), { to: 'prod' })).commit!;
});
afterEach(async () => {
  await repo.remove();
});

describe('rollback', () => {
  it('restores the previous release as a new commit with Rollback-Of, Reason and a hold', async () => {
    const result = await rollbackAt(hour(31), { ticket: 'INC-9' });
    expect(result.commit).toBe(await repo.head());
    expect((await repo.git(['rev-parse', 'HEAD^'])).trim()).toBe(prodPromotion);
    const msg = await repo.message();
    expect(msg).toBe(
      [
        'rollback(prod): api 1.1.0 → 1.0.0',
        '',
        `Restores api 1.0.0 and holds 1.1.0 (introduced in ${prodPromotion.slice(0, 12)}) until a later promotion of api.`,
        '',
        'Rolled-Back-App: api',
        `Rollback-Of: ${prodPromotion}`,
        `Image: ${image('api', 1)}`,
        `Previous-Image: ${image('api', 2)}`,
        `Gate: pass ${msg.match(/Gate: pass (sha256:[0-9a-f]{64})/)![1]}`,
        'Reason: 5xx above SLO',
        'Ticket: INC-9',
        '',
        '',
      ].join('\n'),
    );
    const prod = readSnapshot(await repo.show('HEAD', 'environments/prod.yaml'));
    expect(prod.release.api).toEqual({ version: '1.0.0', image: image('api', 1), config: {} });
    expect(prod.holds).toEqual([
      { app: 'api', image: image('api', 2), reason: '5xx above SLO', since: prodPromotion },
    ]);
    expect(await repo.show('HEAD', 'environments/prod.yaml')).toMatch(/^# prod: kept by the release tests/);
    expect(await repo.show('HEAD', 'gitops/prod/api/deployment.yaml')).toContain(image('api', 1));
    expect(await repo.status()).toBe('');
  });

  it('blocks re-promoting the rolled-back digest until a later promotion lifts the hold', async () => {
    await rollbackAt(hour(31), {});
    const before = await repo.fingerprint();
    const err = await promoteAt(hour(32), { to: 'prod' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Refusal);
    expect((err as Refusal).why).toContain(`hold: prod holds api ${image('api', 2)}: it was rolled back`);
    expect((err as Refusal).how).toContain('promote a newer release of the app (that lifts the hold)');
    expect(await repo.fingerprint()).toBe(before);

    await story.change(
      'dev',
      { release: { ...release('1.0.0', 1), api: { version: '1.2.0', image: image('api', 3) } } },
      'ci: api 1.2.0',
      hour(33),
    );
    await promoteAt(hour(36), { to: 'staging' });
    await promoteAt(hour(61), { to: 'prod' });
    const prod = readSnapshot(await repo.show('HEAD', 'environments/prod.yaml'));
    expect(prod.release.api?.version).toBe('1.2.0');
    expect(prod.holds).toEqual([]);
    expect(await repo.message()).toContain(`api: 1.0.0 → 1.2.0 (lifts the hold on ${image('api', 2)})`);
  });

  it('rolls back to a named version or to the release at a revision', async () => {
    await story.change(
      'dev',
      { release: { ...release('1.0.0', 1), api: { version: '1.2.0', image: image('api', 3) } } },
      'ci',
      hour(31),
    );
    await promoteAt(hour(34), { to: 'staging' });
    await promoteAt(hour(60), { to: 'prod' });
    const toVersion = await rollbackAt(hour(61), { to: '1.0.0' });
    expect([toVersion.fromVersion, toVersion.toVersion]).toEqual(['1.2.0', '1.0.0']);
    const toRev = await rollbackAt(hour(62), { to: prodPromotion });
    expect([toRev.fromVersion, toRev.toVersion]).toEqual(['1.0.0', '1.1.0']);
    const holds = readSnapshot(await repo.show('HEAD', 'environments/prod.yaml')).holds.map((h) => h.image);
    expect(holds).toEqual([image('api', 3), image('api', 1)]);
  });

  it('refuses without a reason, an unknown app or version, and when there is nothing earlier', async () => {
    expect((await refusedRollback({ reason: ' ' })).why).toBe('a rollback needs --reason');
    expect((await refusedRollback({ app: 'wrker' })).why).toBe(
      'unknown app "wrker": environments/prod.yaml has no release for it (did you mean "worker"?)',
    );
    const unknown = await refusedRollback({ to: '0.9.0' });
    expect(unknown.why).toBe(
      '--to 0.9.0 is neither a release of api that prod ran nor a revision that has environments/prod.yaml',
    );
    expect(unknown.how).toMatch(
      /^pick one of the releases prod ran: 1\.0\.0 \([0-9a-f]{12}\), 1\.1\.0 \([0-9a-f]{12}\)$/,
    );
    expect((await refusedRollback({ app: 'worker' })).why).toBe(
      'prod has no earlier release of worker than 1.0.0 to roll back to',
    );
    expect((await refusedRollback({ env: 'qa' })).why).toBe('unknown target environment "qa"');
  });
});
