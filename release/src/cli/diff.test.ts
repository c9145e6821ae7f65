import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../testing/io.js';
import { smallPipeline } from '../testing/pipeline.js';
import { hour, image, type TestRepo } from '../testing/repo.js';
import { startStory } from '../testing/story.js';
import { main } from './diff.js';

let repo: TestRepo;

beforeAll(async () => {
  const story = await startStory();
  repo = story.repo;
  await story.change(
    'staging',
    { release: { api: { version: '1.1.0', image: image('api', 2), config: { FLAG_REFUNDS: 'on' } } } },
    'ci',
    hour(1),
  );
});
afterAll(async () => {
  await repo.remove();
});

async function run(...argv: string[]) {
  const io = captureIo(repo.dir);
  const code = await main(argv, io, smallPipeline);
  return { code, ...io };
}

describe('npm run diff', () => {
  it('separates the release block, the pinned settings and the rendered objects', async () => {
    const r = await run('staging', 'prod');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'release (what promote --from staging --to prod would change):',
        `  api     1.0.0 → 1.1.0   image ${image('api', 1).split('@')[1]!.slice(0, 19)} → ${image('api', 2).split('@')[1]!.slice(0, 19)}   config: FLAG_REFUNDS`,
        '  worker  same (1.0.0)',
        '',
        'settings (pinned to each environment, never promoted):',
        '  apps.api.replicas  staging: 2   prod: 3',
        '  promotesFrom       staging: dev   prod: staging',
        '  promotion.soak     staging: 2h   prod: 24h',
        '',
        'rendered objects (gitops/staging vs gitops/prod, environment names normalized):',
        '  1 identical, 1 differ, 0 only in staging, 0 only in prod',
        '  ~ api/deployment.yaml (4 lines)',
        '',
      ].join('\n'),
    );
  });

  it('prints JSON and rejects unknown environments', async () => {
    const json = await run('staging', 'prod', '--format', 'json', '--no-render');
    expect(JSON.parse(json.stdout)).toMatchObject({
      a: 'staging',
      b: 'prod',
      settings: [{ path: 'apps.api.replicas', a: 2, b: 3 }, {}, {}],
    });
    const unknown = await run('staging', 'prd');
    expect([unknown.code, unknown.stderr.split('\n')[0]]).toEqual([
      1,
      'diff refused: unknown second environment "prd" (did you mean "prod"?)',
    ]);
    expect((await run('staging')).code).toBe(2);
  });
});
