/**
 * The repository's own pipeline behind the release commands: the environment loader (zod
 * schema, `file:line:col: path: message` errors), `renderEnvironments` (in memory) and the
 * offline policy gate over the freshly rendered objects, with the policies of the repository
 * being released (not of the checkout this code runs from).
 *
 * Edited files are rendered from a scratch copy of environments/ so nothing in the work tree
 * changes until the gate has passed.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadEnvironment,
  loadEnvironments,
  type RenderedEnvironment,
  renderEnvironments,
} from '@payday/generators';
import { gateRendered } from '@payday/policy-engine';
import { ENV_DIR } from '../history/history-read.js';
import type { Pipeline, RenderOutput } from './pipeline.js';

async function withScratch<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'payday-release-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `environments/` of `root` copied into `<scratch>/environments`, with `overrides` written over it. */
async function scratchEnvironments(
  root: string,
  scratch: string,
  overrides: Map<string, string>,
): Promise<string> {
  const dir = join(scratch, ENV_DIR);
  await cp(join(root, ENV_DIR), dir, { recursive: true });
  for (const [env, text] of overrides) await writeFile(join(dir, `${env}.yaml`), text);
  return dir;
}

interface RealRenderOutput extends RenderOutput {
  environments: RenderedEnvironment[];
}

export function realPipeline(options: { now?: Date } = {}): Pipeline {
  return {
    async validate(_root, envFile, text) {
      await withScratch(async (scratch) => {
        const file = join(scratch, envFile);
        await cp(join(_root, ENV_DIR), join(scratch, ENV_DIR), { recursive: true });
        await writeFile(file, text);
        // Paths in messages are relative to the scratch root, i.e. `environments/<env>.yaml`.
        await loadEnvironment(file, { root: scratch });
      });
    },
    async render(root, envs, overrides): Promise<RealRenderOutput> {
      return withScratch(async (scratch) => {
        const dir = await scratchEnvironments(root, scratch, overrides);
        const environments = await loadEnvironments(dir, { root: scratch });
        const result = await renderEnvironments({ root, environments, only: envs });
        return {
          files: [...result.files].map(([path, content]) => ({ path: `gitops/${path}`, content })),
          owned: result.scope.map((s) => (s ? `gitops/${s}` : 'gitops')),
          environments: result.environments,
        };
      });
    },
    async gate(root, _envs, rendered) {
      const envs = (rendered as RealRenderOutput).environments.map((e) => ({
        name: e.name,
        objects: e.objects.map((o) => ({ path: `gitops/${o.path}`, object: o.object })),
      }));
      const result = gateRendered(envs, {
        policiesDir: join(root, 'policies'),
        ...(options.now ? { now: options.now } : {}),
      });
      return { passed: result.passed, summary: result.summary, report: result.report };
    },
  };
}
