/**
 * The release commands with the repository's real loader, renderer and policy gate, on a
 * temporary git repository holding a copy of this repository's environments/ and of the
 * policies that are about what a promotion changes (the image reference). The full policy set
 * against the full render is CI's `npm run render` + `npm run gate`; here the point is that
 * promote drives the real pipeline end to end.
 */
import { cp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promote } from '../commands/promote.js';
import { Refusal } from '../commands/refusal.js';
import { readSnapshot } from '../environments/snapshot.js';
import { hour, TestRepo } from '../testing/repo.js';
import { realPipeline } from './real-pipeline.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const RELEASE_POLICIES = ['require-image-digest', 'disallow-latest-tag'];
const pipeline = realPipeline({ now: hour(0) });
let repo: TestRepo;

beforeAll(async () => {
  repo = await TestRepo.create();
  await cp(join(REPO, 'environments'), join(repo.dir, 'environments'), {
    recursive: true,
    filter: (s) => !s.endsWith('.md'),
  });
  for (const policy of RELEASE_POLICIES) {
    await cp(join(REPO, 'policies', policy), join(repo.dir, 'policies', policy), { recursive: true });
  }
  const envs = (await readdir(join(repo.dir, 'environments'))).map((f) => f.replace(/\.yaml$/, ''));
  const rendered = await pipeline.render(repo.dir, envs, new Map());
  await repo.write(Object.fromEntries(rendered.files.map((f) => [f.path, f.content])));
  await repo.git(['add', '--all']);
  await repo.git(
    ['commit', '--quiet', '-m', 'chore: copy of the Payday environments'],
    TestRepo.dated(hour(0)),
  );
}, 120_000);
afterAll(async () => {
  await repo.remove();
});

describe('promote with the real render and gate', () => {
  it('promotes dev → staging, re-rendering the staging tree and recording the gate hash', async () => {
    const dev = readSnapshot(await readFile(join(repo.dir, 'environments/dev.yaml'), 'utf8'));
    const result = await promote({
      cwd: repo.dir,
      apps: ['api'],
      to: 'staging',
      pipeline,
      now: hour(30),
      gitEnv: TestRepo.dated(hour(30)),
    });
    expect(result.gate).toMatch(/^pass \(2 policies, \d+ objects, 0 denials, 0 errors\)$/);
    const msg = await repo.message();
    expect(msg.split('\n')[0]).toBe(`promote(staging): api ${dev.release.api!.version} from dev`);
    expect(msg).toMatch(/\nGate: pass sha256:[0-9a-f]{64}\n/);
    const changed = (await repo.git(['show', '--name-only', '--format=', 'HEAD'])).trim().split('\n');
    expect(changed).toContain('environments/staging.yaml');
    expect(changed.some((p) => p.startsWith('gitops/staging/api/'))).toBe(true);
    expect(changed.every((p) => p === 'environments/staging.yaml' || p.startsWith('gitops/staging/'))).toBe(
      true,
    );
    expect(readSnapshot(await repo.show('HEAD', 'environments/staging.yaml')).release.api).toEqual(
      dev.release.api,
    );
    expect(await repo.status()).toBe('');
  });

  it('refuses an environment file that no longer validates, with file:line:col', async () => {
    const text = await readFile(join(repo.dir, 'environments/staging.yaml'), 'utf8');
    await repo.commit(
      { 'environments/staging.yaml': text.replace(/^release:/m, 'releese:\nrelease:') },
      'typo',
      hour(31),
    );
    const before = await repo.fingerprint();
    const err = await promote({ cwd: repo.dir, apps: ['api'], to: 'prod', pipeline, now: hour(60) }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Refusal);
    expect((err as Refusal).why).toMatch(
      /^environments\/staging\.yaml no longer validates:\n {4}environments\/staging\.yaml:\d+:1: releese: unknown key "releese" \(did you mean "release"\?\)$/,
    );
    expect(await repo.fingerprint()).toBe(before);
  });
});
