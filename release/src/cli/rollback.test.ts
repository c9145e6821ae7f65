import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promote } from '../commands/promote.js';
import { captureIo } from '../testing/io.js';
import { smallPipeline } from '../testing/pipeline.js';
import { hour, image, TestRepo } from '../testing/repo.js';
import { startStory } from '../testing/story.js';
import { main } from './rollback.js';

let repo: TestRepo;

beforeEach(async () => {
  const story = await startStory();
  repo = story.repo;
  await story.change(
    'dev',
    { release: { api: { version: '1.1.0', image: image('api', 2) } } },
    'ci',
    hour(1),
  );
  await promote({
    cwd: repo.dir,
    apps: ['api'],
    to: 'staging',
    pipeline: smallPipeline,
    now: hour(4),
    gitEnv: TestRepo.dated(hour(4)),
  });
});
afterEach(async () => {
  await repo.remove();
});

async function run(...argv: string[]) {
  const io = captureIo(repo.dir);
  const code = await main(argv, io, smallPipeline);
  return { code, ...io };
}

describe('npm run rollback', () => {
  it('rolls back and says what it holds', async () => {
    const r = await run('api', '--env', 'staging', '--reason', 'checkout errors', '--ticket', 'INC-1');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      'rollback(staging): api 1.1.0 → 1.0.0',
      `  api: 1.1.0 ${image('api', 2).split('@')[1]!.slice(0, 19)} → 1.0.0 ${image('api', 1).split('@')[1]!.slice(0, 19)}`,
      expect.stringMatching(
        /^ {2}rolls back [0-9a-f]{12}; holds sha256:[0-9a-f]{12} until a later promotion of api$/,
      ),
    ]);
    expect(await repo.message()).toContain('Reason: checkout errors\nTicket: INC-1\n');
  });

  it('refuses without --reason (exit 1) and rejects bad usage (exit 2)', async () => {
    const before = await repo.fingerprint();
    const noReason = await run('api', '--env', 'staging');
    expect(noReason.code).toBe(1);
    expect(noReason.stderr).toContain('rollback refused: a rollback needs --reason');
    expect((await run('--env', 'staging', '--reason', 'x')).stderr.split('\n')[0]).toBe(
      'rollback: name exactly one app',
    );
    expect((await run('api', '--reason', 'x')).code).toBe(2);
    expect(await repo.fingerprint()).toBe(before);
  });
});
