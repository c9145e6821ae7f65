import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { RenderedObject } from '../render/types.js';
import { ObjectValidator } from './validate.js';

const configMap = (extra: Record<string, unknown> = {}): RenderedObject => ({
  path: 'qa/app/configmap-app.yaml',
  environment: 'qa',
  folder: 'app',
  source: [],
  object: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'app', namespace: 'payday-qa' },
    data: { A: 'b' },
    ...extra,
  },
});

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

it('compiles a kind once, caches it on disk with its V8 code cache, and reuses it', async () => {
  dir = await mkdtemp(join(tmpdir(), 'payday-validators-'));
  const first = new ObjectValidator({ cacheDir: dir });
  await first.validate([{ name: 'qa', objects: [configMap()] }], []);
  expect(first.stats).toEqual({ compiled: 1, cached: 0 });
  const [standalone, ...rest] = await readdir(dir);
  expect(standalone).toMatch(/^[0-9a-f]{32}\.cjs$/);
  expect(rest).toEqual([]);

  const second = new ObjectValidator({ cacheDir: dir });
  await expect(second.validate([{ name: 'qa', objects: [configMap({ bogus: 1 })] }], [])).rejects.toThrow(
    'qa: gitops/qa/app/configmap-app.yaml: ConfigMap/app: /bogus: unknown field "bogus"',
  );
  expect(second.stats).toEqual({ compiled: 0, cached: 1 });
  // Loaded from disk, it has now run: its V8 code cache is written beside it for the next process.
  expect((await readdir(dir)).sort()).toEqual([standalone, `${standalone}.${process.versions.v8}.v8cache`]);
});

it('two validators on a cold cache compile once: the second waits for the first one’s file', async () => {
  dir = await mkdtemp(join(tmpdir(), 'payday-validators-'));
  const a = new ObjectValidator({ cacheDir: dir });
  const b = new ObjectValidator({ cacheDir: dir });
  await Promise.all([
    a.validate([{ name: 'qa', objects: [configMap()] }], []),
    b.validate([{ name: 'qa', objects: [configMap()] }], []),
  ]);
  expect(a.stats.compiled + b.stats.compiled).toBe(1);
  expect(a.stats.cached + b.stats.cached).toBe(1);
  expect((await readdir(dir)).filter((f) => f.endsWith('.lock'))).toEqual([]);
});

it('announces a cold cache in one progress line with the count, and a warm one not at all', async () => {
  dir = await mkdtemp(join(tmpdir(), 'payday-validators-'));
  const service: RenderedObject = {
    ...configMap(),
    path: 'qa/app/service-app.yaml',
    object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'app', namespace: 'payday-qa' } },
  };
  const objects = [configMap(), configMap(), service];
  const cold: string[] = [];
  // The Service has no selector: a rule problem, after the schemas were compiled and checked.
  await expect(
    new ObjectValidator({ cacheDir: dir, progress: (m) => cold.push(m) }).validate(
      [{ name: 'qa', objects }],
      [],
    ),
  ).rejects.toThrow('Service has no selector');
  expect(cold).toEqual([
    'compiling 2 schema validator(s) for the rendered kinds (first run only, up to a minute; cached afterwards)',
  ]);
  const warm: string[] = [];
  await expect(
    new ObjectValidator({ cacheDir: dir, progress: (m) => warm.push(m) }).validate(
      [{ name: 'qa', objects }],
      [],
    ),
  ).rejects.toThrow('Service has no selector');
  expect(warm).toEqual([]);
});
