/**
 * `--check`: compares a render with the committed tree and describes the difference: which files
 * would be added, changed or removed, with a short unified diff of each change (jsdiff).
 */
import type { TreeDiff } from './tree.js';

const MAX_LINES_PER_FILE = 20;
const MAX_FILES_WITH_DIFF = 10;

export async function describeDiff(
  diff: TreeDiff,
  current: ReadonlyMap<string, string>,
  next: ReadonlyMap<string, string>,
  prefix: string,
): Promise<string> {
  const lines: string[] = [];
  for (const p of diff.added) lines.push(`  added:   ${prefix}${p}`);
  for (const p of diff.changed) lines.push(`  changed: ${prefix}${p}`);
  for (const p of diff.removed) lines.push(`  removed: ${prefix}${p}`);
  // Loaded only when something is stale.
  const { createTwoFilesPatch } = await import('diff');
  for (const p of diff.changed.slice(0, MAX_FILES_WITH_DIFF)) {
    const patch = createTwoFilesPatch(
      `${prefix}${p}`,
      `${prefix}${p}`,
      current.get(p)!,
      next.get(p)!,
      'committed',
      'rendered',
      {
        context: 1,
      },
    )
      .split('\n')
      .slice(2) // drop the "====" banner lines; keep ---/+++ and hunks
      .filter((l) => l !== '');
    const shown = patch.slice(0, MAX_LINES_PER_FILE);
    lines.push('', ...shown.map((l) => `    ${l}`));
    if (patch.length > shown.length) lines.push(`    … ${patch.length - shown.length} more lines`);
  }
  return lines.join('\n');
}
