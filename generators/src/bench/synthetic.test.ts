import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { renderEnvironments } from '../render/render.js';
import { type TempRepo, tempRepo } from '../testing/fixtures.js';
import { writeKustomizeTree } from './kustomize-tree.js';
import { syntheticFactories, writeSyntheticEnvironments } from './synthetic.js';

vi.setConfig({ testTimeout: 180_000 });

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

it('renders N apps × M environments through the real constructs, and an equivalent kustomize tree', async () => {
  repo = await tempRepo({});
  await writeSyntheticEnvironments(repo.envDir, 2);
  expect((await readdir(repo.envDir)).sort()).toEqual(['env-00.yaml', 'env-01.yaml']);

  const result = await renderEnvironments({ root: repo.root, factories: syntheticFactories(4) });
  const folders = result.environments.map((e) => [...new Set(e.objects.map((o) => o.folder))].sort());
  expect(folders).toEqual([
    ['namespace', 'svc-00', 'svc-01', 'svc-02', 'svc-03'],
    ['namespace', 'svc-00', 'svc-01', 'svc-02', 'svc-03'],
  ]);
  // svc-00 is an api (canary: stable + canary Services), svc-01 a frontend, svc-02 a worker (no Service).
  const kinds = (folder: string) =>
    result.environments[1]!.objects.filter((o) => o.folder === folder).map(
      (o) => `${o.object.kind}/${o.object.metadata.name}`,
    );
  expect(kinds('svc-00')).toEqual([
    'ConfigMap/svc-00-config',
    'Rollout/svc-00',
    'Service/svc-00-canary',
    'Service/svc-00',
    'ServiceAccount/svc-00',
  ]);
  expect(kinds('svc-02')).toEqual(['ConfigMap/svc-02-config', 'Rollout/svc-02', 'ServiceAccount/svc-02']);

  const dir = await writeKustomizeTree(join(repo.root, 'kustomize'), result, 2, 4);
  expect(parse(await readFile(join(dir, 'kustomization.yaml'), 'utf8'))).toEqual({
    resources: ['env-00', 'env-01'],
  });
  expect(parse(await readFile(join(dir, 'base/api/kustomization.yaml'), 'utf8')).resources).toEqual([
    'configmap-api-config.yaml',
    'rollout-api.yaml',
    'service-api-canary.yaml',
    'service-api.yaml',
    'serviceaccount-api.yaml',
  ]);
  const overlay = parse(await readFile(join(dir, 'env-01/svc-03/kustomization.yaml'), 'utf8'));
  expect(overlay).toMatchObject({
    resources: ['../../base/api'],
    namespace: 'payday-env-01',
    namePrefix: 'svc-03-',
  });
  // Base objects carry plain app names: the overlay sets the prefix, namespace and labels.
  expect(await readFile(join(dir, 'base/worker/rollout-worker.yaml'), 'utf8')).not.toMatch(/svc-0/);
});
