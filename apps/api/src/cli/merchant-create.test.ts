import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openTestDatabase } from '@payday/db/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from './merchant-create.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

describe('npm run merchant:create', () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(async () => t.cleanup());

  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'apps/api/src/cli/merchant-create.ts', ...args], {
      cwd: REPO,
      env: { ...process.env, DATABASE_URL: t.test.url },
      encoding: 'utf8',
    });

  it('creates a merchant with a dashboard user and prints the key once, as JSON', async () => {
    const out = run(
      '--name',
      'Corner Café',
      '--email',
      'Owner@Corner.test',
      '--password',
      'long enough',
      '--json',
    );
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    const created = JSON.parse(out.stdout);
    expect(created).toMatchObject({ name: 'Corner Café', dashboard_user: { email: 'owner@corner.test' } });
    expect(created.api_key).toMatch(/^sk_test_/);
    const [row] =
      await t.sql`select count(*)::int as n from api_keys where merchant_id = ${created.merchant_id}`;
    expect(row!.n).toBe(1);
  });

  /** In process (spawning tsx costs seconds per run): exit code and what was printed. */
  async function runHere(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(`${line}\n`));
    const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(`${line}\n`));
    try {
      const status = await main(args, { DATABASE_URL: t.test.url });
      return { status, stdout: out.join(''), stderr: err.join('') };
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  }

  it('prints a readable summary without --json', async () => {
    const out = await runHere('--name', 'Plain');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(
      /^Created merchant "Plain" \(acct_[0-9a-z]+\)\nAPI key \(shown once, store it now\): sk_test_[0-9a-z]{40}\n$/,
    );
  });

  it('refuses bad arguments with the reason and the usage, writing nothing', async () => {
    const [before] = await t.sql`select count(*)::int as n from merchants`;
    for (const [args, reason] of [
      [[], '--name is required'],
      [['--name', 'X', '--email', 'a@b.test'], '--email and --password go together (both or neither)'],
      [
        ['--name', 'X', '--email', 'nope', '--password', 'long enough'],
        '--email: not an email address: nope',
      ],
      [
        ['--name', 'X', '--email', 'a@b.test', '--password', 'short'],
        '--password must be at least 8 characters',
      ],
      [['--name', 'X', '--colour', 'red'], "Unknown option '--colour'"],
    ] as const) {
      const out = await runHere(...args);
      expect(out.status).toBe(2);
      expect(out.stderr).toContain(`merchant:create: ${reason}`);
      expect(out.stderr).toContain('usage: npm run merchant:create -- --name NAME');
    }
    const [after] = await t.sql`select count(*)::int as n from merchants`;
    expect(after!.n).toBe(before!.n);
  });
});
