import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DIGEST, defaultRelease, envYaml, type TempRepo, tempRepo } from '../testing/fixtures.js';
import { EnvironmentError } from './errors.js';
import { loadEnvironment, loadEnvironments } from './load.js';
import { resolvedReplicas, resolvedStrategy } from './schema.js';

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

/** Loads one file written with `text` and returns the error message (or throws if it loaded). */
async function errorOf(text: string, name = 'staging.yaml'): Promise<string> {
  repo = await tempRepo({ [name]: text });
  try {
    await loadEnvironment(join(repo.envDir, name), { root: repo.root });
  } catch (err) {
    expect(err).toBeInstanceOf(EnvironmentError);
    return (err as Error).message;
  }
  throw new Error('expected the file to be rejected');
}

describe('loadEnvironments on the committed files', () => {
  it('loads dev, staging and prod with defaults filled in', async () => {
    const envs = await loadEnvironments(join(import.meta.dirname, '../../../environments'), {
      root: join(import.meta.dirname, '../../..'),
    });
    expect(envs.map((e) => e.name)).toEqual(['dev', 'prod', 'staging']);
    const prod = envs.find((e) => e.name === 'prod')!;
    expect(prod.file).toBe('environments/prod.yaml');
    expect(prod.promotesFrom).toBe('staging');
    expect(prod.promotion.soak).toBe('24h');
    expect(prod.freezes[0]).toMatchObject({ start: '2026-12-20T00:00:00Z', end: '2027-01-04T00:00:00Z' });
    expect(prod.release.api?.image).toBe(`ghcr.io/payday/api@${DIGEST.api}`);
    // Defaults from the catalogue and the section schemas.
    expect(prod.apps.worker.autoscaling).toEqual({ minReplicas: 1, maxReplicas: 20 });
    expect(resolvedReplicas('worker', prod.apps.worker)).toBeUndefined();
    expect(resolvedReplicas('frontend', prod.apps.frontend)).toBe(3);
    expect(resolvedStrategy('frontend', prod.apps.frontend)).toEqual({
      kind: 'blueGreen',
      blueGreen: { autoPromotionEnabled: false, scaleDownDelaySeconds: 300 },
    });
    expect(prod.sync).toMatchObject({
      automated: true,
      prune: true,
      selfHeal: true,
      preserveResourcesOnDeletion: true,
    });
  });

  it('fills every default for a file that holds only the release block', async () => {
    repo = await tempRepo({ 'qa.yaml': envYaml() });
    const env = await loadEnvironment(join(repo.envDir, 'qa.yaml'), { root: repo.root });
    expect(env).toMatchObject({
      name: 'qa',
      file: 'environments/qa.yaml',
      promotion: { soak: '0s' },
      freezes: [],
      holds: [],
      images: { registry: 'ghcr.io/payday', requireDigest: true },
      cluster: { server: 'https://kubernetes.default.svc' },
      sync: { automated: true, prune: true, selfHeal: true, preserveResourcesOnDeletion: false, windows: [] },
    });
    expect(env.apps.api).toMatchObject({
      enabled: true,
      resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '1', memory: '384Mi' } },
      shutdown: { terminationGracePeriodSeconds: 30, preStopSleepSeconds: 5 },
      env: {},
    });
    expect(resolvedReplicas('api', env.apps.api)).toBe(2);
    expect(resolvedStrategy('api', env.apps.api).kind).toBe('canary');
  });
});

describe('bad environment files: exact message and position', () => {
  it('malformed YAML', async () => {
    expect(await errorOf('apps:\n  api:\n    replicas: [1, 2\n')).toBe(
      'environments/staging.yaml:4:1: malformed YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    );
  });

  it('a mis-indented key: one issue per position, saying to check the indentation', async () => {
    expect(await errorOf('apps:\n  api:\n   replicas: 3\n    hostname: api.example\n')).toBe(
      'environments/staging.yaml:3:14: malformed YAML: Nested mappings are not allowed in compact mappings (check the indentation here: keys of one mapping line up, nested keys are indented further; quote a value that contains ": ")',
    );
  });

  it('unknown key, with the nearest valid key', async () => {
    expect(await errorOf(envYaml('apps:\n  api:\n    replica: 3\n'))).toBe(
      'environments/staging.yaml:3:5: apps.api.replica: unknown key "replica" (did you mean "replicas"?)',
    );
  });

  it('unknown top-level key far from any valid key: no suggestion', async () => {
    expect(await errorOf(envYaml('colour: blue\n'))).toBe(
      'environments/staging.yaml:1:1: colour: unknown key "colour"',
    );
  });

  it('an image without a digest where the environment requires one', async () => {
    const release = defaultRelease().replace(`ghcr.io/payday/api@${DIGEST.api}`, 'ghcr.io/payday/api:1.4.2');
    expect(await errorOf(envYaml('', release))).toBe(
      'environments/staging.yaml:4:12: release.api.image: image must be pinned by digest in this environment (ghcr.io/payday/api@sha256:<64 hex>)',
    );
  });

  it('a tag is accepted where the environment does not require a digest, but never "latest"', async () => {
    const tagged = defaultRelease().replace(`ghcr.io/payday/api@${DIGEST.api}`, 'ghcr.io/payday/api:1.4.2');
    repo = await tempRepo({ 'dev.yaml': envYaml('images:\n  requireDigest: false\n', tagged) });
    await expect(loadEnvironment(join(repo.envDir, 'dev.yaml'), { root: repo.root })).resolves.toMatchObject({
      release: { api: { image: 'ghcr.io/payday/api:1.4.2' } },
    });
    const latest = tagged.replace('api:1.4.2', 'api:latest');
    expect(await errorOf(envYaml('images:\n  requireDigest: false\n', latest), 'dev.yaml')).toBe(
      'environments/dev.yaml:6:12: release.api.image: the floating tag "latest" is never allowed; pin a digest',
    );
  });

  it('a malformed digest', async () => {
    const release = defaultRelease().replace(DIGEST.worker, 'sha256:2032afbc');
    expect(await errorOf(envYaml('', release))).toBe(
      'environments/staging.yaml:10:12: release.worker.image: malformed digest "sha256:2032afbc": expected sha256: followed by 64 lowercase hex characters',
    );
  });

  it('an image from another repository', async () => {
    const release = defaultRelease().replace('ghcr.io/payday/frontend@', 'docker.io/evil/frontend@');
    expect(await errorOf(envYaml('', release))).toBe(
      'environments/staging.yaml:7:12: release.frontend.image: image must come from ghcr.io/payday/frontend (got docker.io/evil/frontend)',
    );
  });

  it('negative replicas', async () => {
    expect(await errorOf(envYaml('apps:\n  api:\n    replicas: -1\n'))).toBe(
      'environments/staging.yaml:3:15: apps.api.replicas: replicas must be a whole number ≥ 0 (got -1)',
    );
  });

  it('non-integer replicas', async () => {
    expect(await errorOf(envYaml('apps:\n  worker:\n    replicas: 2.5\n'))).toBe(
      'environments/staging.yaml:3:15: apps.worker.replicas: replicas must be a whole number ≥ 0 (got 2.5)',
    );
    expect(await errorOf(envYaml('apps:\n  worker:\n    replicas: three\n'))).toBe(
      'environments/staging.yaml:3:15: apps.worker.replicas: replicas must be a whole number ≥ 0 (got "three")',
    );
  });

  it('min > max', async () => {
    expect(
      await errorOf(envYaml('apps:\n  worker:\n    autoscaling: { minReplicas: 5, maxReplicas: 2 }\n')),
    ).toBe(
      'environments/staging.yaml:3:33: apps.worker.autoscaling.minReplicas: minReplicas (5) must not exceed maxReplicas (2)',
    );
  });

  it('replicas and autoscaling together', async () => {
    expect(
      await errorOf(
        envYaml('apps:\n  worker:\n    replicas: 2\n    autoscaling: { minReplicas: 1, maxReplicas: 4 }\n'),
      ),
    ).toBe(
      'environments/staging.yaml:3:15: apps.worker.replicas: set either replicas or autoscaling, not both (the autoscaler owns replicas)',
    );
  });

  it('an unknown app, in apps and in release', async () => {
    expect(await errorOf(envYaml('apps:\n  apy:\n    replicas: 2\n'))).toBe(
      'environments/staging.yaml:2:3: apps.apy: unknown key "apy" (did you mean "api"?)',
    );
    expect(
      await errorOf(
        envYaml(
          '',
          `${defaultRelease()}  billing:\n    version: 1.0.0\n    image: ghcr.io/payday/billing@${DIGEST.api}\n`,
        ),
      ),
    ).toBe('environments/staging.yaml:11:3: release.billing: unknown key "billing"');
  });

  it('a strategy the app does not support', async () => {
    expect(await errorOf(envYaml('apps:\n  worker:\n    strategy:\n      blueGreen: {}\n'))).toBe(
      'environments/staging.yaml:4:18: apps.worker.strategy.blueGreen: worker does not support the blueGreen strategy (supported: canary)',
    );
  });

  it('a misspelt strategy', async () => {
    expect(await errorOf(envYaml('apps:\n  api:\n    strategy:\n      canry: {}\n'))).toBe(
      [
        'environments/staging.yaml:4:7: apps.api.strategy.canry: unknown key "canry" (did you mean "canary"?)',
        'environments/staging.yaml:4:7: apps.api.strategy: set exactly one of strategy.canary or strategy.blueGreen',
      ].join('\n'),
    );
  });

  it('a hostname on the worker, which serves no traffic', async () => {
    expect(await errorOf(envYaml('apps:\n  worker:\n    hostname: worker.example\n'))).toBe(
      'environments/staging.yaml:3:5: apps.worker.hostname: unknown key "hostname"',
    );
  });

  it('a missing release for an enabled app', async () => {
    const release = defaultRelease().split('\n').slice(0, 6).join('\n');
    expect(await errorOf(envYaml('', `${release}\n`))).toBe(
      'environments/staging.yaml:2:3: release: missing release for worker (it is enabled; set apps.worker.enabled: false to leave it out)',
    );
  });

  it('a freeze that ends before it starts, and a bad soak duration', async () => {
    const text = envYaml(
      'promotion:\n  soak: 1 day\nfreezes:\n  - { start: 2026-12-20T00:00:00Z, end: 2026-12-01T00:00:00Z, reason: x }\n',
    );
    expect(await errorOf(text)).toBe(
      [
        'environments/staging.yaml:2:9: promotion.soak: must be a duration such as 24h or 1h30m (got "1 day")',
        'environments/staging.yaml:4:41: freezes[0].end: end must be after start (2026-12-20T00:00:00Z)',
      ].join('\n'),
    );
  });

  it('a version YAML reads as a number', async () => {
    const release = defaultRelease().replace('version: 1.4.2', 'version: 1.4');
    expect(await errorOf(envYaml('', release))).toBe(
      'environments/staging.yaml:3:14: release.api.version: must be a semantic version string such as 1.4.2 (quote it) (got 1.4)',
    );
  });
});

describe('lineage across files', () => {
  async function lineageError(files: Record<string, string>): Promise<string> {
    repo = await tempRepo(files);
    try {
      await loadEnvironments(repo.envDir, { root: repo.root });
    } catch (err) {
      expect(err).toBeInstanceOf(EnvironmentError);
      return (err as Error).message;
    }
    throw new Error('expected lineage to be rejected');
  }

  it('promotesFrom naming a missing environment', async () => {
    expect(
      await lineageError({ 'dev.yaml': envYaml(), 'staging.yaml': envYaml('promotesFrom: deve\n') }),
    ).toBe(
      'environments/staging.yaml:1:15: promotesFrom: promotesFrom names unknown environment "deve" (did you mean "dev"?); known: dev, staging',
    );
  });

  it('promotesFrom forming a cycle', async () => {
    expect(
      await lineageError({
        'dev.yaml': envYaml('promotesFrom: prod\n'),
        // prod's own rules hold (role-rules.ts), so lineage is the only problem.
        'prod.yaml': envYaml(
          'promotesFrom: staging\ndatabase:\n  instances: 3\n  backups:\n    enabled: true\n',
        ),
        'staging.yaml': envYaml('promotesFrom: dev\n'),
      }),
    ).toBe(
      'environments/dev.yaml:1:15: promotesFrom: promotesFrom forms a cycle: dev → prod → staging → dev',
    );
  });

  it('an environment promoting from itself', async () => {
    expect(await lineageError({ 'dev.yaml': envYaml('promotesFrom: dev\n') })).toBe(
      'environments/dev.yaml:1:15: promotesFrom: promotesFrom forms a cycle: dev → dev',
    );
  });

  it('reports the problems of every file at once', async () => {
    const message = await lineageError({
      'dev.yaml': envYaml('apps:\n  api:\n    replicas: -2\n'),
      'prod.yaml': 'release: [\n',
    });
    expect(message.split('\n')).toEqual([
      'environments/dev.yaml:3:15: apps.api.replicas: replicas must be a whole number ≥ 0 (got -2)',
      'environments/prod.yaml:2:1: malformed YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('an environment name that is not a DNS label', async () => {
    expect(await errorOf(envYaml(), 'Prod_EU.yaml')).toBe(
      'environments/Prod_EU.yaml:1:1: environment name "Prod_EU" (from the file name) must be a DNS-1123 label of at most 40 characters',
    );
  });

  it('a directory without environment files', async () => {
    repo = await tempRepo({});
    await expect(loadEnvironments(repo.envDir, { root: repo.root })).rejects.toThrow(
      'environments:1:1: no environment files (*.yaml) found',
    );
  });
});

it('writes nothing: loading is read-only (the file is unchanged after an error)', async () => {
  repo = await tempRepo({ 'staging.yaml': 'apps: [\n' });
  const file = join(repo.envDir, 'staging.yaml');
  await expect(loadEnvironment(file, { root: repo.root })).rejects.toBeInstanceOf(EnvironmentError);
  await writeFile(join(repo.envDir, 'unrelated.txt'), 'x');
  const { readFile } = await import('node:fs/promises');
  expect(await readFile(file, 'utf8')).toBe('apps: [\n');
});
