import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureIo, hashTree, type TempRepo, tempRepo } from '../testing/fixtures.js';
import { main } from './render.js';

// A fresh clone compiles the schema validators on first use (tens of seconds on a busy
// 2-core runner; cached afterwards): allow for it.
vi.setConfig({ testTimeout: 180_000 });

let repo: TempRepo;
beforeEach(async () => {
  repo = await tempRepo();
});
afterEach(async () => {
  await repo.cleanup();
});

async function render(...args: string[]) {
  const out = captureIo();
  const code = await main(args, out.io, repo.root);
  return { code, stdout: out.stdout, stderr: out.stderr };
}

describe('npm run render', () => {
  it('writes the tree with a summary, then says nothing changed', async () => {
    const first = await render();
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^environment {2}folder +objects {2}changes\n/);
    expect(first.stdout).toMatch(/\nstaging +api +(\d+) {2}\+\1\n/);
    expect(first.stdout).toMatch(
      /render: wrote .*gitops\/ \(3 environment\(s\), \d+ objects; \+\d+ ~0 -0 files, [\d.]+ s\)\n$/,
    );
    const second = await render();
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(
      /^render: .*gitops\/ is up to date \(3 environment\(s\), \d+ objects, [\d.]+ s\)\n$/,
    );
  });

  it('prints a replica bump as one changed file in one folder', async () => {
    await render();
    const file = join(repo.envDir, 'staging.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('  api:\n', '  api:\n    replicas: 3\n'));
    const r = await render();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nstaging +api +\d+ {2}~1\n/);
    // Only the changed folder is listed.
    expect(r.stdout.split('\n').filter((l) => /^\S+ +\S+ +\d+ /.test(l))).toHaveLength(1);
    expect(r.stdout).toMatch(/\+0 ~1 -0 files/);
    expect(await readFile(join(repo.gitops, 'staging/api/rollout-api.yaml'), 'utf8')).toContain(
      '  replicas: 3\n',
    );
  });

  it('renders a valid but probably wrong value with a file:line:col warning, and --env limits warnings', async () => {
    const file = join(repo.envDir, 'staging.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('  api:\n', '  api:\n    replicas: 1000\n'));
    const line = text.split('\n').indexOf('  api:') + 2;
    const r = await render();
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `environments/staging.yaml:${line}:15: warning: apps.api.replicas: 1000 api replicas (100.0 CPU and 187.5 GiB of requests at 100m/192Mi each); more than 50 is probably a typo [replicas-high]\n` +
        'render: 1 warning(s): valid values that are probably wrong; silence one with `# payday:allow <id>` on its line (environments/README.md, "Warnings")\n',
    );
    expect(r.stdout).toMatch(/render: wrote /);
    expect((await render('--env', 'prod')).stderr).not.toContain('warning');
  });

  it('leaves gitops/ byte-for-byte untouched on an invalid environment file (exit 2)', async () => {
    await render();
    const before = await hashTree(repo.gitops);
    const file = join(repo.envDir, 'staging.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('  api:\n', '  api:\n    replicas: -3\n'));
    const r = await render();
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'environments/staging.yaml:11:15: apps.api.replicas: replicas must be a whole number ≥ 0 (got -3)\n' +
        'render: invalid environment file(s); nothing was written\n',
    );
    expect(await hashTree(repo.gitops)).toBe(before);
  });

  it('rejects unknown options with usage (exit 2)', async () => {
    const r = await render('--evn', 'staging');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown option '--evn'");
    expect(r.stderr).toContain('usage: npm run render');
  });

  it('--out renders elsewhere', async () => {
    const r = await render('--out', join(repo.root, 'elsewhere'));
    expect(r.code).toBe(0);
    expect(await hashTree(join(repo.root, 'elsewhere'))).not.toBe(await hashTree(join(repo.root, 'missing')));
  });
});

describe('npm run render: the cluster rehearsal', () => {
  it('fails with exit 2 and writes nothing when admission denies what CloudNativePG would create', async () => {
    expect((await render()).code).toBe(0);
    const before = await hashTree(repo.gitops);
    const file = join(repo.envDir, 'staging.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(
      file,
      text.replace(/^database:\n/m, 'database:\n  imageName: ghcr.io/cloudnative-pg/postgresql:17.7\n'),
    );
    const r = await render();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'ERROR Pod/payday-staging/payday-db-1: require-image-digest denies: images must be pinned by sha256 digest: ghcr.io/cloudnative-pg/postgresql:17.7, ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0, ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:v0.13.0 (created by cloudnative-pg from Cluster/payday-staging/payday-db)',
    );
    expect(r.stderr).toMatch(
      /render: cluster rehearsal fail \(4 scenarios, \d+ errors(, \d+ to review)?\); nothing was written/,
    );
    expect(await hashTree(repo.gitops)).toBe(before);
  });
});

describe('npm run render -- --check', () => {
  it('passes on a fresh tree and writes nothing', async () => {
    await render();
    const before = await hashTree(repo.gitops);
    const r = await render('--check');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/is up to date/);
    expect(await hashTree(repo.gitops)).toBe(before);
  });

  it('detects a hand edit, with a short diff', async () => {
    await render();
    const file = join(repo.gitops, 'prod/api/configmap-api-config.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('APP_ENV: prod', 'APP_ENV: staging'));
    const r = await render('--check');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is stale: 0 to add, 1 changed, 0 to remove');
    expect(r.stderr).toMatch(/changed: .*gitops\/prod\/api\/configmap-api-config\.yaml/);
    expect(r.stderr).toContain('-  APP_ENV: staging');
    expect(r.stderr).toContain('+  APP_ENV: prod');
    expect(r.stderr).toContain('Run `npm run render` and commit the result.');
  });

  it('detects a missing file', async () => {
    await render();
    await rm(join(repo.gitops, 'dev/worker/configmap-worker-config.yaml'));
    const r = await render('--check');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/added: {3}.*gitops\/dev\/worker\/configmap-worker-config\.yaml/);
  });

  it('detects an extra file', async () => {
    await render();
    await writeFile(join(repo.gitops, 'dev/api/deployment-api.yaml'), 'kind: Deployment\n');
    const r = await render('--check');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/removed: .*gitops\/dev\/api\/deployment-api\.yaml/);
  });

  it('--check --env looks at that environment only', async () => {
    await render();
    await writeFile(join(repo.gitops, 'dev/api/deployment-api.yaml'), 'kind: Deployment\n');
    expect((await render('--check', '--env', 'staging')).code).toBe(0);
    expect((await render('--check', '--env', 'dev')).code).toBe(1);
  });
});
