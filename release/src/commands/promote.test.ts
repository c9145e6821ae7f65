import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { smallPipeline } from '../testing/pipeline.js';
import { envYaml, hour, image, TestRepo } from '../testing/repo.js';
import { release, type Story, startStory } from '../testing/story.js';
import { type PromoteOptions, promote } from './promote.js';
import { Refusal } from './refusal.js';

let story: Story;
let repo: TestRepo;

beforeEach(async () => {
  story = await startStory();
  repo = story.repo;
  // dev gets api 1.1.0 at hour 1; staging is promoted at hour 4 (3h in dev ≥ its 2h soak).
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
});

function run(at: Date, o: Partial<PromoteOptions> & Pick<PromoteOptions, 'to'>) {
  return promote({
    cwd: repo.dir,
    apps: ['api'],
    pipeline: smallPipeline,
    now: at,
    gitEnv: TestRepo.dated(at),
    ...o,
  });
}

/** Runs a promotion that must be refused and proves the repository did not change. */
async function refused(at: Date, o: Partial<PromoteOptions> & Pick<PromoteOptions, 'to'>): Promise<Refusal> {
  const before = await repo.fingerprint();
  const err = await run(at, o).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Refusal);
  expect(await repo.fingerprint()).toBe(before);
  return err as Refusal;
}

describe('promote', () => {
  it('copies only the release block, re-renders, and commits with the audit subject and trailers', async () => {
    const toStaging = await run(hour(4), { to: 'staging' });
    expect(toStaging.from).toBe('dev');
    const result = await run(hour(30), { to: 'prod' });
    expect(result.commit).toBe(await repo.head());
    expect(await repo.message()).toBe(
      [
        'promote(prod): api 1.1.0 from staging',
        '',
        'api: 1.0.0 → 1.1.0',
        '',
        'Promoted-App: api',
        'Promoted-From: staging',
        'Promoted-To: prod',
        `Image: ${image('api', 2)}`,
        `Previous-Image: ${image('api', 1)}`,
        'Soak: 26h',
        `Gate: pass sha256:${result.message.match(/Gate: pass sha256:([0-9a-f]{64})/)![1]}`,
        '',
        '',
      ].join('\n'),
    );
    const prod = await repo.show('HEAD', 'environments/prod.yaml');
    // Only release.api changed: the comment, prod's replicas and its soak are untouched.
    expect(prod).toBe(
      envYaml('prod', {
        promotesFrom: 'staging',
        soak: '24h',
        replicas: 3,
        release: { ...release('1.0.0', 1), api: { version: '1.1.0', image: image('api', 2) } },
      }),
    );
    expect(await repo.show('HEAD', 'gitops/prod/api/deployment.yaml')).toContain(image('api', 2));
    expect(await repo.git(['show', '--name-only', '--format=', 'HEAD'])).toBe(
      'environments/prod.yaml\ngitops/prod/api/deployment.yaml\n',
    );
    expect(await repo.status()).toBe('');
  });

  it('prepares a PR branch with --branch and leaves the current branch where it was', async () => {
    await run(hour(4), { to: 'staging' });
    const main = await repo.head();
    const result = await run(hour(30), { to: 'prod', branch: 'promote/prod-api-1.1.0' });
    expect(await repo.head()).toBe(main);
    expect((await repo.git(['rev-parse', 'promote/prod-api-1.1.0'])).trim()).toBe(result.commit);
    expect(await repo.git(['symbolic-ref', '--short', 'HEAD'])).toBe('main\n');
    expect(await repo.status()).toBe('');
  });

  it('shows the environment diff and the rendered summary with --dry-run, writing nothing', async () => {
    await run(hour(4), { to: 'staging' });
    const before = await repo.fingerprint();
    const result = await run(hour(30), { to: 'prod', dryRun: true });
    expect(result.commit).toBeUndefined();
    expect(result.diff).toContain(`   api:\n-    version: 1.0.0\n-    image: ${image('api', 1)}`);
    expect(result.diff.split('\n').slice(0, 2)).toEqual([
      '--- a/environments/prod.yaml',
      '+++ b/environments/prod.yaml',
    ]);
    expect(result.diff).toContain(`+    version: 1.1.0\n+    image: ${image('api', 2)}`);
    expect(result.renderSummary).toBe(
      'rendered output: 1 changed, 0 added, 0 removed\n  M gitops/prod/api/deployment.yaml',
    );
    expect(await repo.fingerprint()).toBe(before);
  });

  it('promotes every app with --all and names each in the subject and trailers', async () => {
    await story.change('dev', { release: release('1.2.0', 3) }, 'ci: 1.2.0 to dev', hour(2), 'CI');
    await run(hour(5), { to: 'staging', apps: [], all: true });
    const msg = await repo.message();
    expect(msg.split('\n')[0]).toBe('promote(staging): api 1.2.0, worker 1.2.0 from dev');
    expect(msg.match(/^Promoted-App: .*/gm)).toEqual(['Promoted-App: api', 'Promoted-App: worker']);
    expect(msg.match(/^Soak: .*/gm)).toEqual(['Soak: 3h', 'Soak: 3h']);
  });

  it('refuses a digest the upstream never ran, and accepts it with --override lineage', async () => {
    // dev → prod skips staging: staging never ran api 1.1.0.
    const err = await refused(hour(40), { to: 'prod', from: 'dev' });
    expect(err.why).toContain(
      `lineage: prod promotes from staging, and staging never ran api ${image('api', 2)}`,
    );
    expect(err.how).toContain('--override lineage --reason');
    const missingTicket = await refused(hour(40), {
      to: 'prod',
      from: 'dev',
      overrides: ['lineage'],
      reason: 'hotfix',
    });
    expect(missingTicket.why).toBe('--override lineage needs both --reason and --ticket');
    await run(hour(40), {
      to: 'prod',
      from: 'dev',
      overrides: ['lineage'],
      reason: 'hotfix for INC-7',
      ticket: 'INC-7',
    });
    const msg = await repo.message();
    expect(msg).toContain('\nOverride: lineage\nReason: hotfix for INC-7\nTicket: INC-7\n');
    expect(msg).toContain('Promoted-From: dev');
  });

  it('refuses a soak shorter than configured, naming both durations', async () => {
    await run(hour(4), { to: 'staging' });
    const err = await refused(hour(10), { to: 'prod' });
    expect(err.why).toBe(
      `promotion into prod is blocked:\n    soak: api ${image('api', 2)} has run in staging for 6h; prod requires a soak of 24h`,
    );
    await run(hour(10), {
      to: 'prod',
      overrides: ['soak'],
      reason: 'fix for a payout bug',
      ticket: 'PAY-12',
    });
    expect(await repo.message()).toContain('Soak: 6h\n');
    expect(await repo.message()).toContain('Override: soak\n');
  });

  it('refuses a promotion inside a freeze window and allows it with --override freeze', async () => {
    await run(hour(4), { to: 'staging' });
    await story.change(
      'prod',
      { freezes: [{ start: hour(24).toISOString(), end: hour(48).toISOString(), reason: 'Black Friday' }] },
      'chore(prod): Black Friday freeze',
      hour(5),
    );
    const err = await refused(hour(30), { to: 'prod' });
    expect(err.why).toContain(
      `freeze: prod is frozen from ${hour(24).toISOString()} to ${hour(48).toISOString()} (Black Friday)`,
    );
    await run(hour(48), { to: 'prod' });
    expect((await repo.message()).split('\n')[0]).toBe('promote(prod): api 1.1.0 from staging');
  });

  it('refuses when the gate fails and writes nothing', async () => {
    const bad = `ghcr.io/payday/api@sha256:bad${'0'.repeat(61)}`;
    await story.change(
      'dev',
      { release: { ...release('1.0.0', 1), api: { version: '1.3.0', image: bad } } },
      'ci: api 1.3.0',
      hour(2),
    );
    const err = await refused(hour(8), { to: 'staging' });
    expect(err.why).toContain('the policy gate failed for staging: fail (staging: 2 objects, 1 denials)');
    expect(err.why).toContain('DENY no-known-bad-digest gitops/staging/api/deployment.yaml');
  });

  it('refuses when there is nothing to promote', async () => {
    const err = await refused(hour(8), { to: 'staging', apps: ['worker'] });
    expect(err.why).toBe('nothing to promote: staging already runs the same release as dev for worker 1.0.0');
  });

  it('refuses unknown apps, environments and overrides with a suggestion', async () => {
    expect((await refused(hour(8), { to: 'prd' })).why).toBe(
      'unknown target environment "prd" (did you mean "prod"?)',
    );
    expect((await refused(hour(8), { to: 'prod', from: 'stagin' })).why).toBe(
      'unknown source environment "stagin" (did you mean "staging"?)',
    );
    expect((await refused(hour(8), { to: 'staging', apps: ['apii'] })).why).toBe(
      'unknown app "apii": environments/dev.yaml has no release for it (did you mean "api"?)',
    );
    expect((await refused(hour(8), { to: 'staging', overrides: ['soaks'] })).why).toBe(
      'unknown override "soaks" (did you mean "soak"?)',
    );
    expect((await refused(hour(8), { to: 'dev' })).why).toBe(
      'environments/dev.yaml has no promotesFrom, so there is no default source',
    );
  });

  it('refuses a dirty tree, a detached HEAD and a merge in progress', async () => {
    await repo.write({ 'environments/prod.yaml': '# scribbled\n' });
    const dirty = await refused(hour(8), { to: 'staging' });
    expect(dirty.why).toBe('the working tree has uncommitted changes:\n     M environments/prod.yaml');
    await repo.git(['checkout', '--quiet', '--', 'environments/prod.yaml']);
    await repo.write({ 'gitops/staging/new.yaml': 'x: 1\n' });
    expect((await refused(hour(8), { to: 'staging' })).why).toContain('?? gitops/staging/new.yaml');
    await repo.git(['clean', '--quiet', '--force', '--', 'gitops']);

    await repo.git(['checkout', '--quiet', '--detach']);
    const detached = await refused(hour(8), { to: 'staging' });
    expect(detached.why).toMatch(
      /^HEAD is detached at [0-9a-f]{12}; a release commit must land on a branch$/,
    );
    await repo.git(['checkout', '--quiet', 'main']);

    // Two branches edit the same line of staging.yaml: the merge stops with a conflict.
    await repo.git(['checkout', '--quiet', '-b', 'other']);
    await story.change('staging', { replicas: 5 }, 'chore: 5 replicas', hour(2));
    await repo.git(['checkout', '--quiet', 'main']);
    await story.change('staging', { replicas: 7 }, 'chore: 7 replicas', hour(2));
    await repo.git(['merge', '--quiet', 'other']).catch(() => undefined);
    const merge = await refused(hour(8), { to: 'staging' });
    expect(merge.why).toBe('a merge is in progress');
    expect(merge.how).toContain('git merge --abort');
  });

  it('refuses an environment file that no longer validates, naming the problem', async () => {
    await repo.commit(
      { 'environments/staging.yaml': 'promotesFrom: dev\nrelease:\n  api: { version: 1.0.0 }\n' },
      'oops',
      hour(2),
    );
    const err = await refused(hour(8), { to: 'staging' });
    expect(err.why).toBe(
      'environments/staging.yaml no longer validates:\n    environments/staging.yaml: release.api: needs an image',
    );
    expect(err.how).toContain('npm run render lists every problem');
  });
});
