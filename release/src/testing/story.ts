/**
 * The starting point most release tests share: dev → staging → prod, every app at 1.0.0,
 * staging soaking 2h and prod 24h, committed at hour 0 with its rendered output.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { smallPipeline } from './pipeline.js';
import { type EnvSpec, envYaml, hour, image, TestRepo } from './repo.js';

export const APPS = ['api', 'worker'] as const;

export function release(
  version: string,
  seed: string | number,
  apps: readonly string[] = APPS,
): EnvSpec['release'] {
  return Object.fromEntries(apps.map((a) => [a, { version, image: image(a, seed) }]));
}

export interface Story {
  repo: TestRepo;
  specs: Record<string, EnvSpec>;
  /**
   * Edits one environment file as it is now (after any promote or rollback), merging `patch`
   * (`release` per app, `replicas` into apps.api), and commits it with its rendering at `at`.
   */
  change(env: string, patch: Partial<EnvSpec>, message: string, at: Date, author?: string): Promise<string>;
}

export async function renderedFiles(repo: TestRepo, envs: string[]): Promise<Record<string, string>> {
  const out = await smallPipeline.render(repo.dir, envs, new Map());
  return Object.fromEntries(out.files.map((f) => [f.path, f.content]));
}

export async function startStory(): Promise<Story> {
  const repo = await TestRepo.create();
  const specs: Record<string, EnvSpec> = {
    dev: { release: release('1.0.0', 1) },
    staging: { promotesFrom: 'dev', soak: '2h', release: release('1.0.0', 1) },
    prod: { promotesFrom: 'staging', soak: '24h', release: release('1.0.0', 1), replicas: 3 },
  };
  const files = Object.fromEntries(
    Object.entries(specs).map(([env, s]) => [`environments/${env}.yaml`, envYaml(env, s)]),
  );
  await repo.write(files);
  await repo.commit(
    { ...files, ...(await renderedFiles(repo, Object.keys(specs))) },
    'chore: environments',
    hour(0),
    'Founder',
  );
  return {
    repo,
    specs,
    async change(env, patch, message, at, author) {
      const path = `environments/${env}.yaml`;
      const doc = parse(await readFile(join(repo.dir, path), 'utf8')) as Record<string, unknown>;
      const { release: rel, replicas, soak, ...rest } = patch;
      Object.assign(doc, rest);
      if (rel) doc.release = { ...(doc.release as object), ...rel };
      if (replicas !== undefined) doc.apps = { api: { replicas } };
      if (soak !== undefined) doc.promotion = { soak };
      const text = `# ${env}: kept by the release tests (this comment must survive edits)\n${stringify(doc)}`;
      await repo.write({ [path]: text });
      const rendered = await renderedFiles(repo, [env]);
      return repo.commit({ [path]: text, ...rendered }, message, at, author);
    },
  };
}
