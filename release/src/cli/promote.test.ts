import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureIo } from '../testing/io.js';
import { smallPipeline } from '../testing/pipeline.js';
import { image, type TestRepo } from '../testing/repo.js';
import { startStory } from '../testing/story.js';
import { main } from './promote.js';

let repo: TestRepo;

beforeEach(async () => {
  const story = await startStory();
  repo = story.repo;
  // A release that entered dev half an hour ago in real time (the CLI uses the clock), so the 2h soak of staging is not met.
  await story.change(
    'dev',
    { release: { api: { version: '1.1.0', image: image('api', 2) } } },
    'ci',
    new Date(Date.now() - 1_800_000),
  );
});
afterEach(async () => {
  await repo.remove();
});

async function run(...argv: string[]) {
  const io = captureIo(repo.dir);
  const code = await main(argv, io, smallPipeline);
  return { code, ...io };
}

describe('npm run promote', () => {
  it('explains a refusal, says how to proceed, and exits 1 with nothing changed', async () => {
    const before = await repo.fingerprint();
    const r = await run('api', '--to', 'staging');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /promote refused: promotion into staging is blocked:\n {4}soak: api \S+ has run in dev for \d+m(\d+s)?; staging requires a soak of 2h\n {2}→ wait until the rule is satisfied, or if this is deliberate: --override soak --reason "…" --ticket …\nNothing was changed\.\n$/,
    );
    expect(await repo.fingerprint()).toBe(before);
  });

  it('promotes with an override and prints the result', async () => {
    const r = await run(
      'api',
      '--to',
      'staging',
      '--override',
      'soak',
      '--reason',
      'demo for the CFO',
      '--ticket',
      'REL-1',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^promote\(staging\): api 1\.1\.0 from dev\n {2}api: 1\.0\.0 → 1\.1\.0 {2}sha256:[0-9a-f]{12} {2}soak observed \d+m(\d+s)? {2}OVERRIDDEN: soak\n/,
    );
    expect(r.stdout).toMatch(
      /committed [0-9a-f]{12}\n {2}→ git push, and Argo CD syncs staging\n {2}→ the override counts once an approver \(not you\) runs npm run approve on this commit \(docs\/release\.md, "Overrides need a second person"\)\n$/,
    );
    expect(r.stderr).toContain('· running the policy gate on staging…');
  });

  it('prints the diff and the would-be message with --dry-run', async () => {
    const before = await repo.fingerprint();
    const r = await run(
      '--all',
      '--to',
      'staging',
      '--dry-run',
      '--override',
      'soak',
      '--reason',
      'r',
      '--ticket',
      't',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--- a/environments/staging.yaml\n+++ b/environments/staging.yaml\n');
    expect(r.stdout).toContain(
      'dry run: nothing was written. The commit message would be:\n\npromote(staging): api 1.1.0 from dev\n',
    );
    expect(r.stdout).toContain('Gate: not run (dry run)');
    expect(await repo.fingerprint()).toBe(before);
  });

  it('rejects bad usage with exit 2', async () => {
    expect((await run('api')).stderr.split('\n')[0]).toBe('promote: --to <env> is required');
    expect((await run('--to', 'prod')).stderr.split('\n')[0]).toBe(
      'promote: name at least one app, or pass --all',
    );
    expect((await run('api', '--all', '--to', 'prod')).code).toBe(2);
    expect((await run('--help')).stdout).toContain('usage: npm run promote');
  });
});
