/**
 * The real-cluster workflow cannot run here (kind needs Docker and the network), so its scripts are
 * tested where they can be: the step list `e2e.sh --dry-run` prints is the one e2e-cluster.yml
 * runs, in order; wait-applications.sh against a stand-in kubectl; usage errors before any tool.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..');
const bash = execFileSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).trim();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(bash, [join(root, 'scripts/cluster', script), ...args], {
    env: { PATH: '/usr/bin:/bin', HOME: tmpdir(), ...env },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const DRY_RUN = `1. bootstrap: kind cluster, Argo CD, local images of this commit, then the root Application alone
   bash scripts/cluster/cluster.sh up --images
2. wait: every Argo CD Application Synced and Healthy
   bash scripts/cluster/wait-applications.sh
3. canary: API canary to completion (image A, then A -> B)
   bash scripts/cluster/e2e-canary.sh complete
4. bluegreen: frontend blue/green through its pre-promotion analysis (smoke-test Job via the preview Service)
   bash scripts/cluster/e2e-bluegreen.sh
5. abort: API canary aborted by a failing analysis (B -> A, B stays stable)
   bash scripts/cluster/e2e-canary.sh abort
`;

describe('e2e.sh', () => {
  it('--dry-run prints every step and its command, and runs nothing (no tool on PATH)', () => {
    expect(run('e2e.sh', ['--dry-run'], { PATH: '' })).toEqual({ status: 0, stdout: DRY_RUN, stderr: '' });
  });

  it('--dry-run of chosen steps prints those, in the order given', () => {
    expect(run('e2e.sh', ['--dry-run', 'abort', 'wait']).stdout).toBe(
      '1. abort: API canary aborted by a failing analysis (B -> A, B stays stable)\n   bash scripts/cluster/e2e-canary.sh abort\n' +
        '2. wait: every Argo CD Application Synced and Healthy\n   bash scripts/cluster/wait-applications.sh\n',
    );
  });

  it('refuses an unknown step before running anything', () => {
    expect(run('e2e.sh', ['--dry-run', 'deploy'])).toEqual({
      status: 2,
      stdout: '',
      stderr: 'e2e: unknown step: deploy (steps: bootstrap wait canary bluegreen abort)\n',
    });
  });

  it('e2e-cluster.yml runs exactly the dry-run steps, one workflow step each, in order', () => {
    const workflow = parse(readFileSync(join(root, '.github/workflows/e2e-cluster.yml'), 'utf8')) as {
      jobs: { cluster: { steps: { run?: string }[] } };
    };
    const steps = workflow.jobs.cluster.steps
      .map((s) => /^bash scripts\/cluster\/e2e\.sh (\w+)$/.exec(s.run?.trim() ?? '')?.[1])
      .filter(Boolean);
    const planned = [...DRY_RUN.matchAll(/^\d+\. (\w+):/gm)].map((m) => m[1]);
    expect(steps).toEqual(planned);
  });
});

describe('wait-applications.sh', () => {
  /** A kubectl that prints the next table from a list on each call, then the last one forever. */
  function kubectl(tables: string[]): string {
    const dir = mkdtempSync(join(tmpdir(), 'payday-e2e-bin-'));
    dirs.push(dir);
    for (const [i, t] of tables.entries()) writeFileSync(join(dir, `table-${i}`), t);
    const body = `n=$(cat "${dir}/count" 2>/dev/null || echo 0)
f="${dir}/table-$n"; [ -f "$f" ] || f="${dir}/table-${tables.length - 1}"
cat "$f"; echo $((n + 1)) > "${dir}/count"`;
    writeFileSync(join(dir, 'kubectl'), `#!${bash}\n${body}\n`);
    chmodSync(join(dir, 'kubectl'), 0o755);
    return dir;
  }
  const env = (bin: string, timeout = '60') => ({
    PATH: `${bin}:/usr/bin:/bin`,
    PAYDAY_E2E_APPS_INTERVAL: '0',
    PAYDAY_E2E_APPS_TIMEOUT: timeout,
  });

  it('waits for the root to create the others and for each to be Synced and Healthy', () => {
    const bin = kubectl([
      'payday-root Synced Progressing\n',
      'payday-root Synced Healthy\npayday-dev-api OutOfSync Missing\nkeda Synced Healthy\n',
      'payday-root Synced Healthy\npayday-dev-api Synced Healthy\nkeda Synced Healthy\n',
    ]);
    expect(run('wait-applications.sh', [], env(bin))).toEqual({
      status: 0,
      stdout:
        'waiting for: payday-root\nwaiting for: payday-dev-api\nall 3 Applications synced and healthy\n',
      stderr: '',
    });
  });

  it('fails at the deadline naming what is not synced and healthy', () => {
    const table = 'payday-root Synced Healthy\nkyverno Synced Degraded\n';
    const result = run('wait-applications.sh', [], env(kubectl([table]), '0'));
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`wait-applications: not synced and healthy after 0s: kyverno\n${table}`);
  });
});

describe('e2e-canary.sh', () => {
  it('needs a mode, checked before any tool', () => {
    expect(run('e2e-canary.sh', [], { PATH: '' })).toEqual({
      status: 2,
      stdout: '',
      stderr: 'usage: e2e-canary.sh complete|abort\n',
    });
  });

  it('names the first missing tool', () => {
    expect(run('e2e-canary.sh', ['complete'], { PATH: '/nonexistent' })).toMatchObject({
      status: 1,
      stderr: 'e2e-canary: docker is required\n',
    });
    expect(run('e2e-bluegreen.sh', [], { PATH: '/nonexistent' })).toMatchObject({
      status: 1,
      stderr: 'e2e-bluegreen: docker is required\n',
    });
  });
});
