import { resolve } from 'node:path';
import { readGitopsDir } from './load/gitops-dir.js';
import type { RenderedInput, Scenario } from './model.js';
import { SAMPLE_PULL_REQUEST, type SamplePullRequest } from './scenario/applicationset.js';
import { buildScenarios } from './scenario/build.js';

/** The committed rendered tree, read once per test file. */
export const GITOPS = resolve(import.meta.dirname, '../../gitops');
let cached: RenderedInput[] | undefined;
export function committedInputs(): RenderedInput[] {
  cached ??= readGitopsDir(GITOPS);
  return cached;
}

/** The sample pull request numbered 1, so the preview scenario deploys to `pr-1`. */
export const PULL_REQUEST_1: SamplePullRequest = { ...SAMPLE_PULL_REQUEST, number: 1 };

/**
 * One scenario of the committed tree (`dev`, `staging`, `prod`, or `preview` in `pr-1`), built
 * by the rehearsal's own pipeline: ApplicationSets evaluated, objects placed, controllers
 * expanded (scenario/build.ts). A fresh copy on every call: tests may change it.
 */
export function committedScenario(name: string): Scenario {
  const scenario = buildScenarios(committedInputs(), { only: [name], pullRequest: PULL_REQUEST_1 })
    .scenarios[0];
  if (!scenario) throw new Error(`no scenario ${name} in the committed tree`);
  // Placed objects share nested values (spec, data) with the cached inputs: a deep copy keeps
  // one test's change out of the next.
  return structuredClone(scenario);
}
