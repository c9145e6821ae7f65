import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditStory, auditStory } from '../testing/audit-story.js';
import { captureIo } from '../testing/io.js';
import { hour } from '../testing/repo.js';
import { main } from './history.js';

let story: AuditStory;
const now = hour(40);

beforeAll(async () => {
  story = await auditStory();
});
afterAll(async () => {
  await story.repo.remove();
});

async function run(...argv: string[]) {
  const io = captureIo(story.repo.dir);
  const code = await main(argv, io, now);
  return { code, ...io };
}

describe('npm run history', () => {
  it('prints the filtered audit table', async () => {
    const r = await run('--env', 'prod', '--app', 'api', '--since', '2026-11-03');
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) =>
          l
            .split(/\s{2,}/)
            .slice(1, 4)
            .join('|'),
        ),
    ).toEqual(['ENV|APP|KIND', 'prod|api|promote', 'prod|api|rollback', 'prod|api|config change']);
  });

  it('exports JSON and CSV, and accepts durations for --since', async () => {
    const json = await run('--format', 'json', '--since', '9h');
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { kind: string }[]).map((e) => e.kind)).toEqual([
      'rollback',
      'config change',
      'hand edit',
      'hand edit',
      'override',
      'hand edit',
    ]);
    const csv = await run('--format', 'csv', '--app', 'worker', '--env', 'staging');
    expect(csv.stdout.split('\r\n').filter(Boolean)).toHaveLength(1 + 2 + 1); // header, creation rows, the hand edit
  });

  it('writes the HTML report', async () => {
    const dir = join(story.repo.dir, '..', `report-${Date.now()}`);
    const r = await run('--html', dir);
    expect(r.stderr).toBe(`wrote ${join(dir, 'index.html')}\n`);
    expect(await readFile(join(dir, 'index.html'), 'utf8')).toContain('<table id="matrix">');
    await rm(dir, { recursive: true, force: true });
  });

  it('--verify exits 1 listing the violation without an override; a clean PR range exits 0', async () => {
    const all = await run('--verify');
    expect(all.code).toBe(1);
    expect(all.stdout).toContain(`✗ violation   ${story.commits.handEdit!.slice(0, 12)}`);
    expect(all.stdout).toContain(`~ overridden  ${story.commits.override!.slice(0, 12)}`);
    const range = await run('--verify', '--range', `${story.commits.override}..HEAD`);
    expect(range.code).toBe(0);
    expect(range.stdout).toBe(
      '✓ 1 environment commit(s) checked: 0 rule violation(s), 0 overridden, 0 without an approved override\n',
    );
    const bad = await run('--verify', '--range', `${story.commits.config}..${story.commits.handEdit}`);
    expect(bad.code).toBe(1);
  });

  it('rejects bad input with exit 2 and the reason', async () => {
    const format = await run('--format', 'xml');
    expect([format.code, format.stderr.split('\n')[0]]).toEqual([
      2,
      'history: --format must be one of table, json, csv (got "xml")',
    ]);
    const since = await run('--since', 'last tuesday');
    expect(since.stderr.split('\n')[0]).toBe(
      'history: --since "last tuesday" is neither a date (2026-11-01, 2026-11-01T12:00:00Z) nor a duration ago (7d, 24h)',
    );
    const range = await run('--verify', '--range', 'nope..HEAD');
    expect(range.code).toBe(2);
    expect(range.stderr).toMatch(/^history: cannot resolve --range nope\.\.HEAD/);
    // A revision that git would read as an option is refused before git runs: nothing is written.
    const target = join(story.repo.dir, 'written-by-git-log');
    const option = await run(`--rev=--output=${target}`);
    expect([option.code, option.stderr.split('\n')[0]]).toEqual([
      2,
      `history: --rev "--output=${target}" is not a revision (it starts with "-")`,
    ]);
    expect(existsSync(target)).toBe(false);
    const optionRange = await run('--verify', '--range=--output=x..HEAD');
    expect([optionRange.code, optionRange.stderr.split('\n')[0]]).toEqual([
      2,
      'history: --range "--output=x..HEAD" is not a revision (it starts with "-")',
    ]);
    const rev = await run('--rev', 'v9.9.9');
    expect(rev.stderr.split('\n')[0]).toBe(`history: "v9.9.9" is not a commit in ${story.repo.dir}`);
    const env = await run('--env', 'prd');
    expect([env.code, env.stderr.split('\n')[0], env.stdout]).toEqual([
      2,
      'history: --env "prd" names nothing in the history (did you mean "prod"?); known: dev, prod, staging',
      '',
    ]);
    const app = await run('--app', 'payments');
    expect([app.code, app.stderr.split('\n')[0]]).toEqual([
      2,
      'history: --app "payments" names nothing in the history; known: api, worker',
    ]);
    const flag = await run('--frmat', 'json');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Unknown option '--frmat'");
  });
});
