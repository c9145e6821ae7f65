/**
 * scripts/cluster/cluster.sh must refuse clearly, before doing anything, on machines that cannot run
 * a kind cluster. Each case runs the real script with a PATH that holds only the stand-in tools the
 * case needs (none at all for "no Docker"), so the result does not depend on what this machine has.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const script = join(root, 'scripts/cluster/cluster.sh');
const bash = execFileSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).trim();
const dirs: string[] = [];

/** A directory of executable stubs: name → shell body. */
function binDir(tools: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'payday-cluster-bin-'));
  dirs.push(dir);
  for (const [name, body] of Object.entries(tools)) {
    const file = join(dir, name);
    writeFileSync(file, `#!${bash}\n${body}\n`);
    chmodSync(file, 0o755);
  }
  return dir;
}

function run(args: string[], path: string) {
  const result = spawnSync(bash, [script, ...args], {
    env: { PATH: path, HOME: tmpdir() },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('cluster.sh preflight', () => {
  it.each([['up'], ['down'], ['up', '--local'], ['up', '--images']])(
    '`%s` without Docker says so and does nothing',
    (...args) => {
      const result = run(args, binDir({}));
      expect(result).toEqual({
        status: 1,
        stdout: '',
        stderr:
          'cluster: Docker is required: kind runs Kubernetes nodes as Docker containers. Install Docker ' +
          '(https://docs.docker.com/engine/install/) and start it, then run this again.\n',
      });
    },
  );

  it('tells an unreachable daemon apart from a missing Docker', () => {
    const result = run(['up'], binDir({ docker: 'exit 1' }));
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      "Docker is installed but its daemon is not reachable ('docker info' failed)",
    );
  });

  it('asks for kind when Docker works but kind is missing', () => {
    const result = run(['up'], binDir({ docker: 'exit 0' }));
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'cluster: kind is required: install it (https://kind.sigs.k8s.io/docs/user/quick-start/#installation), then run this again.\n',
    );
  });

  it('asks for kubectl when Docker and kind are there but kubectl is not', () => {
    const result = run(['up'], binDir({ docker: 'exit 0', kind: 'exit 0' }));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('cluster: kubectl is required');
  });

  it('rejects an unknown command or option with usage and exit 2', () => {
    const unknown = run(['sideways'], binDir({}));
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^usage: cluster\.sh up \[--local\] \[--images\] \| down\n/);
    const option = run(['up', '--remote'], binDir({}));
    expect(option.status).toBe(2);
    expect(option.stderr).toContain('cluster: unknown option: --remote');
  });
});

describe('npm scripts', () => {
  it('cluster:up and cluster:down run the script', () => {
    const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
    expect(scripts['cluster:up']).toBe('bash scripts/cluster/cluster.sh up');
    expect(scripts['cluster:down']).toBe('bash scripts/cluster/cluster.sh down');
  });
});

describe('local-clone.sh (what cluster.sh up --local serves)', () => {
  const rendered = 'https://github.com/payday/payday.git';
  const served = 'git://172.18.0.1:9418/payday.git';
  const files: Record<string, string> = {
    'gitops/argocd/application-payday-root.yaml': `kind: Application\nspec:\n  source:\n    path: gitops/argocd\n    repoURL: ${rendered}\n    targetRevision: main\n`,
    'gitops/argocd/appproject-payday-dev.yaml': `kind: AppProject\nspec:\n  sourceRepos:\n    - ${rendered}\n`,
    'gitops/argocd/applicationset-payday-dev.yaml': `kind: ApplicationSet\nspec:\n  generators:\n    - git:\n        repoURL: ${rendered}\n        revision: main\n`,
    'gitops/argocd/platform/application-keda.yaml': `kind: Application\nspec:\n  sources:\n    - repoURL: https://kedacore.github.io/charts\n      targetRevision: 2.20.2\n    - repoURL: ${rendered}\n      targetRevision: main\n      ref: values\n`,
  };
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', ...args], {
      cwd,
      encoding: 'utf8',
    });

  function sourceRepo(): string {
    const dir = mkdtempSync(join(tmpdir(), 'payday-local-clone-'));
    dirs.push(dir);
    const repo = join(dir, 'repo');
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(repo, path, '..'), { recursive: true });
      writeFileSync(join(repo, path), text);
    }
    git(repo, 'init', '--quiet', '--initial-branch=main');
    git(repo, 'add', '.');
    git(repo, 'commit', '--quiet', '-m', 'rendered');
    return repo;
  }

  it('points every Argo CD object at the served clone and HEAD, as a commit, leaving the source alone', () => {
    const repo = sourceRepo();
    const dest = join(repo, '..', 'served.git');
    execFileSync(bash, [join(root, 'scripts/cluster/local-clone.sh'), repo, dest, served], {
      encoding: 'utf8',
    });

    const read = (path: string) => readFileSync(join(dest, path), 'utf8');
    expect(read('gitops/argocd/application-payday-root.yaml')).toBe(
      `kind: Application\nspec:\n  source:\n    path: gitops/argocd\n    repoURL: ${served}\n    targetRevision: HEAD\n`,
    );
    expect(read('gitops/argocd/appproject-payday-dev.yaml')).toContain(`    - ${served}\n`);
    expect(read('gitops/argocd/applicationset-payday-dev.yaml')).toContain(
      `repoURL: ${served}\n        revision: HEAD\n`,
    );
    // A chart's version is left alone; only our repository and `main` change.
    expect(read('gitops/argocd/platform/application-keda.yaml')).toBe(
      `kind: Application\nspec:\n  sources:\n    - repoURL: https://kedacore.github.io/charts\n      targetRevision: 2.20.2\n    - repoURL: ${served}\n      targetRevision: HEAD\n      ref: values\n`,
    );
    expect(git(dest, 'log', '--format=%s')).toBe(`local cluster: Argo CD reads ${served}\nrendered\n`);
    expect(git(dest, 'status', '--porcelain')).toBe('');
    for (const [path, text] of Object.entries(files))
      expect(readFileSync(join(repo, path), 'utf8')).toBe(text);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('refuses a repository without the rendered root Application', () => {
    const repo = sourceRepo();
    rmSync(join(repo, 'gitops/argocd/application-payday-root.yaml'));
    const dest = join(repo, '..', 'served.git');
    const result = spawnSync(bash, [join(root, 'scripts/cluster/local-clone.sh'), repo, dest, served], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('local-clone: no repoURL in gitops/argocd/application-payday-root.yaml');
  });

  it('prints usage for a wrong number of arguments', () => {
    const result = spawnSync(bash, [join(root, 'scripts/cluster/local-clone.sh'), 'only-one'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('usage: local-clone.sh SOURCE DEST SERVED_URL [IMAGES]\n');
  });
});
