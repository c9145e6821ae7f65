/**
 * Writing a release into the work tree and committing it, with an undo: every file is written
 * only after the gate passed, and if the commit itself fails (a hook, a missing identity) the
 * files and the index are put back, so a refused or failed command leaves `git status` as it was.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { git } from '../git/git.js';
import type { RenderOutput } from './pipeline.js';

export interface FileWrite {
  path: string;
  /** New content, or undefined to delete the file. */
  content: string | undefined;
}

export interface RenderSummary {
  added: string[];
  changed: string[];
  removed: string[];
}

async function readOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Compares rendered output with what is committed under the owned folders. */
export async function planRendered(
  root: string,
  rendered: RenderOutput,
): Promise<{ writes: FileWrite[]; summary: RenderSummary }> {
  const tracked = rendered.owned.length
    ? (await git(root, ['ls-files', '-z', '--', ...rendered.owned])).split('\0').filter(Boolean)
    : [];
  const fresh = new Map(rendered.files.map((f) => [f.path, f.content]));
  const summary: RenderSummary = { added: [], changed: [], removed: [] };
  const writes: FileWrite[] = [];
  for (const [path, content] of [...fresh].sort(([a], [b]) => a.localeCompare(b))) {
    const current = await readOrUndefined(join(root, path));
    if (current === content) continue;
    (current === undefined ? summary.added : summary.changed).push(path);
    writes.push({ path, content });
  }
  for (const path of tracked.sort()) {
    if (fresh.has(path)) continue;
    summary.removed.push(path);
    writes.push({ path, content: undefined });
  }
  return { writes, summary };
}

export function formatRenderSummary(s: RenderSummary, limit = 20): string {
  const total = s.added.length + s.changed.length + s.removed.length;
  if (total === 0) return 'rendered output: no change';
  const lines = [
    `rendered output: ${s.changed.length} changed, ${s.added.length} added, ${s.removed.length} removed`,
  ];
  const all = [
    ...s.changed.map((p) => `  M ${p}`),
    ...s.added.map((p) => `  A ${p}`),
    ...s.removed.map((p) => `  D ${p}`),
  ];
  lines.push(...all.slice(0, limit));
  if (all.length > limit) lines.push(`  … and ${all.length - limit} more`);
  return lines.join('\n');
}

/** Applies writes and returns a function that restores every file to its previous content. */
export async function applyWrites(root: string, writes: FileWrite[]): Promise<() => Promise<void>> {
  const previous: FileWrite[] = [];
  const undo = async () => {
    for (const w of previous.reverse()) {
      const abs = join(root, w.path);
      if (w.content === undefined) await rm(abs, { force: true });
      else {
        await mkdir(dirname(abs), { recursive: true });
        await writeFile(abs, w.content);
      }
    }
  };
  try {
    for (const w of writes) {
      const abs = join(root, w.path);
      previous.push({ path: w.path, content: await readOrUndefined(abs) });
      if (w.content === undefined) await rm(abs, { force: true });
      else {
        await mkdir(dirname(abs), { recursive: true });
        await writeFile(abs, w.content);
      }
    }
  } catch (err) {
    await undo();
    throw err;
  }
  return undo;
}

export interface CommitOptions {
  root: string;
  paths: string[];
  message: string;
  /** Commit on a new branch made from HEAD, then switch back (a PR branch). */
  branch?: string;
  /** The branch we are on (to switch back to). */
  current: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Stages exactly `paths` and commits them; on failure unstages and reports. The caller undoes
 * the file writes. Returns the new commit's sha.
 */
export async function commitPaths(o: CommitOptions): Promise<string> {
  let switched = false;
  try {
    if (o.branch) {
      await git(o.root, ['switch', '--quiet', '--create', o.branch], { env: o.env });
      switched = true;
    }
    await git(o.root, ['add', '--all', '--', ...o.paths], { env: o.env });
    await git(o.root, ['commit', '--quiet', '--file=-', '--', ...o.paths], { input: o.message, env: o.env });
    const sha = (await git(o.root, ['rev-parse', 'HEAD'])).trim();
    if (switched) await git(o.root, ['switch', '--quiet', o.current], { env: o.env });
    return sha;
  } catch (err) {
    await git(o.root, ['restore', '--staged', '--', ...o.paths]).catch(() => undefined);
    if (switched) {
      await git(o.root, ['switch', '--quiet', o.current]).catch(() => undefined);
      const made = await git(o.root, ['rev-parse', '--verify', '--quiet', `refs/heads/${o.branch}`]).catch(
        () => '',
      );
      const head = (await git(o.root, ['rev-parse', 'HEAD'])).trim();
      if (made.trim() === head)
        await git(o.root, ['branch', '--quiet', '-D', o.branch!]).catch(() => undefined);
    }
    throw err;
  }
}
