/**
 * `renderEnvironments`: environments → validated objects and file contents, entirely in memory.
 * Nothing is written here (writeRendered does that), so the CLI can validate, run the policy
 * gate, and compare with the committed tree before touching disk.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChartFactory } from '../charts/factory.js';
import { chartFactories } from '../charts/registry.js';
import { loadEnvironments } from '../environments/load.js';
import type { Environment } from '../environments/schema.js';
import type { EnvironmentWarning } from '../environments/warnings.js';
import { PLATFORM } from '../platform.js';
import { validateRendered } from '../validate/validate.js';
import { buildObjects } from './build.js';
import { indexFile, rootReadme } from './index-file.js';
import { previewKustomization } from './preview.js';
import { serializeObject } from './serialize.js';
import type { RenderedEnvironment, RenderResult } from './types.js';

/** The repository root, from this module's location (never the working directory). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');

export interface RenderOptions {
  /** Repository root: environment files are read from `<root>/environments`. Default: this repository. */
  root?: string;
  /** Directory of the environment files. Default `<root>/environments`. */
  environmentsDir?: string;
  /** Already loaded environments (skips loading). */
  environments?: Environment[];
  /** Render only these environments (their folders); default all, plus gitops/argocd. */
  only?: string[];
  /** Chart factories. Default: the registry. */
  factories?: readonly ChartFactory[];
  /** Validate every object against the pinned schemas (default `true`). */
  validate?: boolean;
  /** Preview mode (plain Deployments, one replica, namespace-less). Default `false`. */
  preview?: boolean;
  /**
   * Render the pull-request preview scenario into gitops/preview/ (render/build.ts) with a full
   * render. Default: `true` with the registry's factories, `false` with `factories`.
   */
  previews?: boolean;
  /** Progress messages for long work (first-run schema compilation). */
  progress?: (message: string) => void;
  /** Warnings of the loaded environment files (valid but probably wrong values; not with `environments`). */
  onWarning?: (warning: EnvironmentWarning) => void;
}

export class UnknownEnvironmentError extends Error {}

export async function renderEnvironments(options: RenderOptions = {}): Promise<RenderResult> {
  const root = options.root ?? REPO_ROOT;
  const warnings: EnvironmentWarning[] = [];
  const all =
    options.environments ??
    (await loadEnvironments(options.environmentsDir ?? join(root, PLATFORM.environmentsDir), {
      root,
      onWarning: (w) => warnings.push(w),
    }));
  const names = all.map((e) => e.name);
  const unknown = (options.only ?? []).filter((n) => !names.includes(n));
  if (unknown.length) {
    throw new UnknownEnvironmentError(
      `unknown environment(s): ${unknown.join(', ')}; known: ${names.join(', ')}`,
    );
  }
  const partial = options.only !== undefined && options.only.length > 0;
  const selected = partial ? all.filter((e) => options.only!.includes(e.name)) : all;
  // Warnings of the environments being rendered only (`--env staging` says nothing about prod).
  const selectedFiles = new Set(selected.map((e) => e.file));
  for (const w of warnings) if (selectedFiles.has(w.file)) options.onWarning?.(w);
  const built = buildObjects({
    selected,
    all,
    factories: options.factories ?? chartFactories,
    global: !partial,
    preview: options.preview ?? false,
    previews: !partial && !options.preview && (options.previews ?? options.factories === undefined),
  });
  const environments: RenderedEnvironment[] = selected.map((e) => ({
    name: e.name,
    objects: built.perEnvironment.get(e.name) ?? [],
  }));

  if (options.validate ?? true) {
    await validateRendered(
      environments,
      built.global,
      options.progress ? { progress: options.progress } : {},
    );
  }

  const files = new Map<string, string>();
  for (const env of environments) {
    for (const o of env.objects) files.set(o.path, serializeObject(o));
    files.set(`${env.name}/index.md`, indexFile(`gitops/${env.name}/`, env.name, env.objects));
  }
  if (!partial) {
    for (const o of built.global) files.set(o.path, serializeObject(o));
    // gitops/preview/kustomization.yaml (docs/design/argo.md §Previews: the PR ApplicationSet
    // patches previews through it).
    for (const [path, text] of previewKustomization(built.global)) files.set(path, text);
    files.set(
      'README.md',
      rootReadme(
        names,
        built.global.map((o) => o.path.split('/')[0]!),
      ),
    );
  }
  const sorted = new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    environments,
    global: built.global,
    files: sorted,
    scope: partial ? selected.map((e) => e.name) : [''],
  };
}
