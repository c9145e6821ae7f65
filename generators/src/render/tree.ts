/**
 * Reading the committed tree, for `--check` and for the summary of what changed.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Every file under `root/<scope>` for each scope (`''` = all of root), path → content. Missing dirs are empty. */
export async function readTree(root: string, scope: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (rel: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(join(root, rel), { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    await Promise.all(
      entries.map(async (e) => {
        const p = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) await walk(p);
        else if (e.isFile()) out.set(p, await readFile(join(root, p), 'utf8'));
      }),
    );
  };
  for (const s of scope) await walk(s);
  return out;
}

export interface TreeDiff {
  added: string[];
  changed: string[];
  removed: string[];
}

/** What writing `next` would do to `current`. Paths sorted. */
export function diffTrees(current: ReadonlyMap<string, string>, next: ReadonlyMap<string, string>): TreeDiff {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [p, content] of next) {
    const old = current.get(p);
    if (old === undefined) added.push(p);
    else if (old !== content) changed.push(p);
  }
  for (const p of current.keys()) if (!next.has(p)) removed.push(p);
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort() };
}

export function isEmptyDiff(d: TreeDiff): boolean {
  return d.added.length + d.changed.length + d.removed.length === 0;
}
