/**
 * A fresh clone works anywhere (README.md "Quick start"): a copy of the repository's files, placed
 * in a folder with nothing beside it, renders, gates and tests with no network. Nothing at run
 * time reads outside the repository: the schemas come from generators/schemas/.
 *
 * The copy holds what a clone holds (tracked files, plus new files not yet committed but not
 * ignored); node_modules is linked, as `npm ci` would install it. The validator cache lives in
 * node_modules/.cache, so it is shared with this checkout; cold-cache compilation is covered by
 * generators/src/validate/compile.test.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('..', import.meta.url));

let parent: string;
let clone: string;

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(join(clone, 'node_modules', '.bin', 'tsx'), args, {
    cwd: clone,
    encoding: 'utf8',
    // No proxy, no registry: any attempt to reach the network fails instead of succeeding quietly.
    env: {
      ...process.env,
      HTTPS_PROXY: 'http://127.0.0.1:9',
      HTTP_PROXY: 'http://127.0.0.1:9',
      NO_PROXY: '',
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  parent = mkdtempSync(join(tmpdir(), 'payday-fresh-clone-'));
  clone = join(parent, 'payday');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((f) => f && existsSync(join(REPO, f)));
  for (const f of files) {
    mkdirSync(dirname(join(clone, f)), { recursive: true });
    cpSync(join(REPO, f), join(clone, f));
  }
  for (const dir of ['node_modules', 'apps/api/node_modules']) {
    if (existsSync(join(REPO, dir))) symlinkSync(join(REPO, dir), join(clone, dir));
  }
});

afterAll(() => rmSync(parent, { recursive: true, force: true }));

// Each step starts a process (tsx, or a whole vitest run) on a 2-core machine shared with others.

describe('a copy of the repository with nothing beside it', () => {
  it('has no sibling folder (no ../shared)', () => {
    expect(readdirSync(parent)).toEqual(['payday']);
  });

  it('renders, validates and gates: gitops/ is exactly what it renders', () => {
    const r = run(['generators/src/cli/render.ts']);
    expect(r.stderr).toMatch(
      /^render: policy gate pass \(\d+ policies, \d+ objects, 0 denials, 0 errors\)$/m,
    );
    expect(r.stderr).toMatch(/^render: cluster rehearsal pass \(4 scenarios, 0 errors(, \d+ to review)?\)$/m);
    expect(r.stdout).toMatch(
      /^render: gitops\/ is up to date \(3 environment\(s\), \d+ objects, [\d.]+ s\)\n$/,
    );
    expect(r.code).toBe(0);
  }, 180_000);

  it('passes the policy gate over the committed gitops/', () => {
    const r = run(['policies/engine/src/cli/gate.ts']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/0 denials/);
  });

  it('runs the schema bundle and validation tests of the tools project', () => {
    const r = spawnSync(
      join(clone, 'node_modules', '.bin', 'vitest'),
      [
        'run',
        '--project',
        'tools',
        'generators/src/validate/bundle.test.ts',
        'generators/src/validate/validate.test.ts',
      ],
      { cwd: clone, encoding: 'utf8', env: { ...process.env, CI: '1', NO_COLOR: '1' } },
    );
    expect(r.stdout, r.stderr).toMatch(/Test Files {2}2 passed \(2\)/);
    expect(r.stdout).not.toMatch(/skipped/);
    expect(r.status).toBe(0);
  }, 180_000);
});
