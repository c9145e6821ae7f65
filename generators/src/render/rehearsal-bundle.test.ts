import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  bundleFile,
  currentInputs,
  isSharedImport,
  type LoadedBundle,
  loadRehearsalBundle,
} from './rehearsal-bundle.js';
import * as modules from './rehearsal-entry.js';
import { REPO_ROOT, renderEnvironments } from './render.js';
import type { RenderedObject } from './types.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

let cacheDir: string;
let first: LoadedBundle;
let objects: RenderedObject[];
/** What the loads told their caller about building (the render command prints it). */
const told: string[] = [];
beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'rehearsal-bundle-'));
  first = await loadRehearsalBundle(cacheDir, { onBuild: (m) => told.push(m) });
  const r = await renderEnvironments({});
  objects = [...r.environments.flatMap((e) => e.objects), ...r.global];
});
afterAll(() => rm(cacheDir, { recursive: true, force: true }));

/** The full result of a rehearsal with the render's checks, as JSON: every scenario object and finding. */
function rehearsed(m: typeof modules, input: readonly RenderedObject[]): string {
  return JSON.stringify(m.rehearse(m.fromRendered(input), { checks: m.rehearsalChecks(m.CHECKS) }));
}

describe('the rehearsal bundle', () => {
  it('is built into the cache once, with the list of its inputs, and loaded from there next time', async () => {
    expect(first.built).toBe(true);
    const files = await readdir(cacheDir);
    const bundle = files.find((f) => /^rehearsal-[0-9a-f]{32}\.cjs$/.test(f))!;
    expect(files.sort()).toEqual([bundle, 'rehearsal-bundle.json'].sort());
    const inputs = (
      JSON.parse(await readFile(join(cacheDir, 'rehearsal-bundle.json'), 'utf8')) as {
        inputs: { file: string }[];
      }
    ).inputs.map((i) => i.file);
    expect(inputs).toContain('generators/src/render/rehearsal-entry.ts');
    expect(inputs).toContain('policies/engine/src/index.ts');
    expect(inputs.some((i) => i.startsWith('node_modules/@marcbachmann/cel-js/'))).toBe(true);
    // After a run: V8's code cache and the parsed PromQL queries beside the bundle.
    rehearsed(first.module, objects);
    await first.afterRun?.();
    expect((await readdir(cacheDir)).sort()).toEqual(
      [
        bundle,
        `${bundle}.${process.versions.v8}.v8cache`,
        `${bundle}.promql.json`,
        'rehearsal-bundle.json',
      ].sort(),
    );
    const kept = JSON.parse(await readFile(join(cacheDir, `${bundle}.promql.json`), 'utf8')) as unknown[];
    expect(kept.length).toBeGreaterThan(50);
    expect(kept).toEqual(first.module.parsedQueries());
  });

  it('starts the next process with the queries kept, and rehearses as before with them', async () => {
    const again = await loadRehearsalBundle(cacheDir, { onBuild: (m) => told.push(m) });
    expect(again.built).toBe(false);
    // The build was said once, naming the cache; loading a built bundle says nothing.
    expect(told).toEqual([`building the rehearsal bundle into ${cacheDir} (once per source change)`]);
    // A separate instance of the bundle (its own memo), which has read the kept queries.
    expect(again.module.rehearse).not.toBe(first.module.rehearse);
    expect(again.module.parsedQueries()).toEqual(first.module.parsedQueries());
    expect(rehearsed(again.module, objects)).toBe(rehearsed(modules, objects));
  });

  it('rehearses exactly as the modules do: the whole render, and a render without NetworkPolicies', () => {
    const bundled = first.module;
    expect(bundled.rehearse).not.toBe(modules.rehearse);
    expect(rehearsed(bundled, objects)).toBe(rehearsed(modules, objects));
    const broken = objects.filter((o) => o.object.kind !== 'NetworkPolicy');
    const result = rehearsed(bundled, broken);
    expect(result).toBe(rehearsed(modules, broken));
    expect(JSON.parse(result).passed).toBe(false);
    // The policy engine found policies/ through import.meta.dirname, as unbundled.
    expect(bundled.formatText(bundled.rehearse(bundled.fromRendered(objects)))).toBe(
      modules.formatText(modules.rehearse(modules.fromRendered(objects))),
    );
  });

  it('carries no copy of zod or yaml, which it requires from the render process', async () => {
    const inputs = (
      JSON.parse(await readFile(join(cacheDir, 'rehearsal-bundle.json'), 'utf8')) as {
        inputs: { file: string }[];
      }
    ).inputs.map((i) => i.file);
    expect(inputs.filter((i) => /^node_modules\/(zod|yaml)\//.test(i))).toEqual([]);
    const bundle = (await readdir(cacheDir)).find((f) => /^rehearsal-[0-9a-f]{32}\.cjs$/.test(f))!;
    const source = await readFile(join(cacheDir, bundle), 'utf8');
    expect(source).toContain('require("zod")');
    expect(source).toContain('require("yaml")');
  });

  it('shares a package only where an import resolves to the folder the render process uses', () => {
    const zod = join(REPO_ROOT, 'node_modules/zod/index.js');
    expect(isSharedImport('zod', zod)).toBe(true);
    expect(isSharedImport('yaml', join(REPO_ROOT, 'node_modules/yaml/dist/index.js'))).toBe(true);
    // A workspace pinning another version resolves into its own node_modules: bundled.
    expect(isSharedImport('zod', join(REPO_ROOT, 'rehearsal/node_modules/zod/index.js'))).toBe(false);
    expect(
      isSharedImport('yaml', join(REPO_ROOT, 'node_modules/cdk8s/node_modules/yaml/dist/index.js')),
    ).toBe(false);
    expect(isSharedImport('ipaddr.js', join(REPO_ROOT, 'node_modules/ipaddr.js/lib/ipaddr.js'))).toBe(false);
  });

  it('gates exactly as the policy engine modules do', () => {
    const envs = [
      { name: 'all', objects: objects.map((o) => ({ path: `gitops/${o.path}`, object: o.object })) },
    ];
    const options = { policiesDir: join(REPO_ROOT, 'policies') };
    const bundled = first.module.gateRendered(envs, options);
    expect(first.module.gateRendered).not.toBe(modules.gateRendered);
    expect(bundled.passed).toBe(true);
    expect(JSON.stringify(bundled)).toBe(JSON.stringify(modules.gateRendered(envs, options)));
    const denied = objects.map((o) =>
      o.object.kind === 'Namespace' ? o : { ...o, object: { ...o.object, metadata: { name: 'x' } } },
    );
    const deniedEnvs = [
      { name: 'all', objects: denied.map((o) => ({ path: `gitops/${o.path}`, object: o.object })) },
    ];
    const failed = first.module.gateRendered(deniedEnvs, options);
    expect(failed.passed).toBe(false);
    expect(JSON.stringify(failed)).toBe(JSON.stringify(modules.gateRendered(deniedEnvs, options)));
  });

  it('is named by the bytes of every input: a changed input names another bundle', async () => {
    const file = join(cacheDir, 'input.ts');
    const input = relative(REPO_ROOT, file);
    await writeFile(file, 'export const a = 1;\n');
    const before = currentInputs([input]);
    expect(before.map((i) => i.file)).toContain('package-lock.json');
    expect(currentInputs([input], new Map(before.map((i) => [i.file, i])))).toEqual(before);
    await writeFile(file, 'export const a = 2;\n');
    // Same size, and the mtime set back: the ctime still shows the write.
    await utimes(file, before[0]!.mtimeMs / 1000, before[0]!.mtimeMs / 1000);
    const after = currentInputs([input], new Map(before.map((i) => [i.file, i])));
    expect(after[0]!.sha256).not.toBe(before[0]!.sha256);
    expect(bundleFile(cacheDir, after, '0.0.0')).not.toBe(bundleFile(cacheDir, before, '0.0.0'));
    expect(bundleFile(cacheDir, after, '0.0.1')).not.toBe(bundleFile(cacheDir, after, '0.0.0'));
    // A stat that matches what was recorded is trusted: the recorded digest names the bundle.
    const recorded = currentInputs([input]);
    const forged = new Map(recorded.map((i) => [i.file, i.file === input ? { ...i, sha256: 'x' } : i]));
    expect(currentInputs([input], forged)[0]!.sha256).toBe('x');
  });

  it('is built again when its manifest names a file that is gone, and the bundles of older sources are removed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rehearsal-bundle-gone-'));
    try {
      const gone = relative(REPO_ROOT, join(dir, 'gone.ts'));
      const state = { file: gone, size: 1, mtimeMs: 1, ctimeMs: 1, sha256: 'x' };
      await writeFile(join(dir, 'rehearsal-bundle.json'), `${JSON.stringify({ inputs: [state] })}\n`);
      const old = 'rehearsal-0123456789abcdef0123456789abcdef.cjs';
      await writeFile(join(dir, old), '');
      await writeFile(join(dir, `${old}.promql.json`), '[]');
      await writeFile(join(dir, 'other.cjs'), '');
      const loaded = await loadRehearsalBundle(dir);
      expect(loaded.built).toBe(true);
      const files = await readdir(dir);
      expect(files).toHaveLength(3);
      expect(files).toContain('other.cjs');
      expect(files).not.toContain(old);
      const manifest = await readFile(join(dir, 'rehearsal-bundle.json'), 'utf8');
      expect(manifest).not.toContain('gone.ts');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
