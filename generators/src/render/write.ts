/**
 * Writes a render atomically (docs/design/rendering.md §Atomic write and check): the owned
 * directories are rendered into a temporary sibling, then swapped in with rename(2), so a crash or
 * an invalid input never leaves a half-written tree, and files the render no longer produces
 * disappear (no orphans).
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RenderResult } from './types.js';

export interface WriteOptions {
  /** Output root (default: `<repo>/gitops`). */
  outDir: string;
}

async function swapIn(target: string, files: ReadonlyMap<string, string>, prefix: string): Promise<void> {
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const tmp = join(parent, `.render-tmp-new-${stamp}`);
  const old = join(parent, `.render-tmp-old-${stamp}`);
  try {
    for (const [path, content] of files) {
      if (prefix && !path.startsWith(`${prefix}/`)) continue;
      const rel = prefix ? path.slice(prefix.length + 1) : path;
      const file = join(tmp, rel);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, content);
    }
    await mkdir(tmp, { recursive: true });
    let hadOld = true;
    try {
      await rename(target, old);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      hadOld = false;
    }
    await rename(tmp, target);
    if (hadOld) await rm(old, { recursive: true, force: true });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Replaces each directory in `result.scope` under `outDir` with exactly the rendered files. */
export async function writeRendered(result: RenderResult, options: WriteOptions): Promise<void> {
  for (const scope of result.scope) {
    await swapIn(scope ? join(options.outDir, scope) : options.outDir, result.files, scope);
  }
}
