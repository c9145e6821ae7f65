/**
 * scripts/cluster/cluster.sh must refuse clearly, before doing anything, on machines that cannot run
 * a kind cluster. Each case runs the real script with a PATH that holds only the stand-in tools the
 * case needs (none at all for "no Docker"), so the result does not depend on what this machine has.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
