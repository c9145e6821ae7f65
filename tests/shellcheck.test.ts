/**
 * Every shell script in the repository passes shellcheck (the Debian `shellcheck` package, which
 * .ci/run installs). A machine without shellcheck fails this test with the command to install it:
 * the check never passes by not running.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const SKIP = new Set(['node_modules', '.git', '.cache', 'gitops']);

/** `*.sh` files and extensionless files with a bash/sh shebang (like .ci/run). */
function shellScripts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return SKIP.has(e.name) ? [] : shellScripts(path);
    if (!e.isFile()) return [];
    if (e.name.endsWith('.sh')) return [relative(root, path)];
    if (e.name.includes('.')) return [];
    const head = readFileSync(path, 'utf8').slice(0, 40);
    return /^#!\/(usr\/bin\/env |bin\/)(ba)?sh\b/.test(head) ? [relative(root, path)] : [];
  });
}

const MISSING_SHELLCHECK =
  'shellcheck is not installed: install the Debian package (apt-get install shellcheck), as .ci/run does';

describe('shell scripts', () => {
  const scripts = shellScripts(root).sort();

  it('finds the cluster scripts and the CI entry point', () => {
    expect(scripts).toEqual(
      expect.arrayContaining([
        '.ci/run',
        'scripts/cluster/cluster.sh',
        'scripts/cluster/e2e-bluegreen.sh',
        'scripts/cluster/e2e-canary.sh',
        'scripts/cluster/e2e-lib.sh',
        'scripts/cluster/e2e.sh',
        'scripts/cluster/wait-applications.sh',
      ]),
    );
  });

  it('pass shellcheck', () => {
    const probe = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
    if (probe.error) throw new Error(MISSING_SHELLCHECK);
    const result = spawnSync('shellcheck', ['--external-sources', '--format=gcc', ...scripts], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
