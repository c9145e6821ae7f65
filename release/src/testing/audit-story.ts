/**
 * A history with every kind of change an auditor meets: CI updates of dev, promotions, a
 * rollback, a config change, a hand edit that bypassed lineage, an override, and a hand edit
 * that is a valid promotion. Used by the history, verify, report and CLI tests.
 */
import { approve } from '../commands/approve.js';
import { promote } from '../commands/promote.js';
import { rollback } from '../commands/rollback.js';
import { SIGNERS_FILE } from '../git/signers.js';
import { allowedSigners, makeKey, type TestKey } from './keys.js';
import { smallPipeline } from './pipeline.js';
import { hour, image, TestRepo } from './repo.js';
import { type Story, startStory } from './story.js';

export interface AuditStory extends Story {
  commits: Record<string, string>;
  /** Ana approves overrides (approver); Rel is a release engineer. */
  keys: { ana: TestKey; rel: TestKey };
}

export async function auditStory(): Promise<AuditStory> {
  const story = await startStory();
  const { repo } = story;
  const commits: Record<string, string> = { initial: await repo.head() };
  const keys = {
    ana: await makeKey('ana@payday.example', ['approver']),
    rel: await makeKey('release.bot@payday.example', ['release-engineer']),
  };
  commits.signers = await repo.commit(
    { [SIGNERS_FILE]: allowedSigners([keys.ana, keys.rel]) },
    'chore(release): who may change environments/ and approve overrides',
    hour(0.5),
    'Founder',
  );
  const at = (h: number) => ({ now: hour(h), gitEnv: TestRepo.dated(hour(h), 'Release Bot') });
  const base = { cwd: repo.dir, pipeline: smallPipeline };
  const dev = (api: [string, number], worker: [string, number]) => ({
    release: {
      api: { version: api[0], image: image('api', api[1]) },
      worker: { version: worker[0], image: image('worker', worker[1]) },
    },
  });
  commits.devApi = await story.change(
    'dev',
    dev(['1.1.0', 2], ['1.0.0', 1]),
    'ci(dev): api 1.1.0',
    hour(1),
    'CI',
  );
  commits.promoteStaging = (await promote({ ...base, apps: ['api'], to: 'staging', ...at(4) })).commit!;
  commits.promoteProd = (await promote({ ...base, apps: ['api'], to: 'prod', ...at(30) })).commit!;
  commits.rollback = (
    await rollback({
      ...base,
      app: 'api',
      env: 'prod',
      reason: 'p99 latency, payments timing out',
      ticket: 'INC-31',
      ...at(31),
    })
  ).commit!;
  commits.config = await story.change(
    'prod',
    { replicas: 4 },
    'chore(prod): api replicas 3 → 4, more headroom',
    hour(32),
    'Sam SRE',
  );
  commits.handEdit = await story.change(
    'prod',
    { release: { worker: { version: '1.2.9', image: image('worker', 7) } } },
    'fix(prod): worker 1.2.9, straight to prod',
    hour(33),
    'Hasty Harry',
  );
  commits.devWorker = await story.change(
    'dev',
    dev(['1.1.0', 2], ['1.3.0', 8]),
    'ci(dev): worker 1.3.0',
    hour(34),
    'CI',
  );
  await promote({
    ...base,
    apps: ['worker'],
    from: 'dev',
    to: 'prod',
    overrides: ['lineage', 'soak'],
    reason: 'settlement bug, fix verified in dev',
    ticket: 'PAY-77',
    ...at(35),
  });
  // A second person with the approver role signs off (docs/release.md, two-person overrides).
  commits.override = (
    await approve({
      cwd: repo.dir,
      key: keys.ana.file,
      as: keys.ana.principal,
      gitEnv: TestRepo.dated(hour(35)),
    })
  ).commit!;
  commits.validHandEdit = await story.change(
    'staging',
    { release: { worker: { version: '1.3.0', image: image('worker', 8) } } },
    'chore(staging): worker 1.3.0, by hand',
    hour(36),
    'Careful Carol',
  );
  return { ...story, commits, keys };
}
