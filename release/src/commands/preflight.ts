/**
 * The checks every writing release command runs first: a git work tree, on a branch, no
 * merge/rebase/cherry-pick half done, and nothing uncommitted that the release commit would
 * sweep up or overwrite. Each failure is a Refusal that names the git command to fix it.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { nearest } from '@payday/generators/environments';
import { type RepoState, repoRoot, repoState } from '../git/git.js';
import { ENV_DIR } from '../history/history-read.js';
import { Refusal } from './refusal.js';

export async function preflight(
  cwd: string,
  command: string,
  options: { allowDetached?: boolean } = {},
): Promise<RepoState> {
  const root = await repoRoot(cwd).catch((err: Error) => {
    throw new Refusal(err.message, `run ${command} from a clone of the GitOps repository`);
  });
  const state = await repoState(root, [ENV_DIR, 'gitops']);
  if (!state.head) {
    throw new Refusal('the repository has no commits yet', 'commit the environment files first');
  }
  if (state.inProgress) {
    throw new Refusal(
      `${state.inProgress} is in progress`,
      `finish it (resolve, then git commit / git rebase --continue) or abort it (e.g. git merge --abort), then run ${command} again`,
    );
  }
  if (!state.branch && !options.allowDetached) {
    throw new Refusal(
      `HEAD is detached at ${state.head.slice(0, 12)}; a release commit must land on a branch`,
      `git switch main (or git switch -c NAME), then run ${command} again`,
    );
  }
  if (state.dirty.length) {
    const list = state.dirty.slice(0, 10).map((l) => `    ${l}`);
    if (state.dirty.length > 10) list.push(`    … and ${state.dirty.length - 10} more`);
    throw new Refusal(
      `the working tree has uncommitted changes:\n${list.join('\n')}`,
      `commit or stash them (git stash -u), then run ${command} again; a release commit contains only the release`,
    );
  }
  return state;
}

/** Environment names (file basenames) in `environments/`, sorted. */
export async function environmentNames(root: string): Promise<string[]> {
  const files = await readdir(join(root, ENV_DIR)).catch(() => [] as string[]);
  return files
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .sort();
}

export function envFile(env: string): string {
  return `${ENV_DIR}/${env}.yaml`;
}

/** Throws a Refusal naming the known environments (and the nearest one) when `env` is unknown. */
export function requireEnvironment(env: string, known: string[], role: string): void {
  if (known.includes(env)) return;
  const hint = nearest(env, known);
  throw new Refusal(
    `unknown ${role} environment "${env}"${hint ? ` (did you mean "${hint}"?)` : ''}`,
    `use one of: ${known.join(', ') || '(none: environments/ has no *.yaml files)'}`,
  );
}
