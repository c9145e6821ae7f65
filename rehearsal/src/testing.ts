import { resolve } from 'node:path';
import { readGitopsDir } from './load/gitops-dir.js';
import type { RenderedInput } from './model.js';

/** The committed rendered tree, read once per test file. */
export const GITOPS = resolve(import.meta.dirname, '../../gitops');
let cached: RenderedInput[] | undefined;
export function committedInputs(): RenderedInput[] {
  cached ??= readGitopsDir(GITOPS);
  return cached;
}
