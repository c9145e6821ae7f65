/**
 * The summary the CLI prints: environment × folder, objects, and what changed.
 */
import type { TreeDiff } from './tree.js';
import type { RenderResult } from './types.js';

export interface SummaryRow {
  environment: string;
  folder: string;
  objects: number;
  added: number;
  changed: number;
  removed: number;
}

/**
 * Rows are the Argo CD Applications: `<env>/<folder>/` and the global folders (`argocd/`).
 * Loose files (README.md, <env>/index.md) count in the CLI's totals only.
 */
function folderOf(
  path: string,
  globalFolders: ReadonlySet<string>,
): { environment: string; folder: string } | undefined {
  const parts = path.split('/');
  if (globalFolders.has(parts[0]!)) return { environment: '', folder: parts[0]! };
  if (parts.length >= 3) return { environment: parts[0]!, folder: parts[1]! };
  return undefined;
}

export function summaryRows(result: RenderResult, diff: TreeDiff): SummaryRow[] {
  const rows = new Map<string, SummaryRow>();
  const globalFolders = new Set(result.global.map((o) => o.folder));
  const noop: SummaryRow = { environment: '', folder: '', objects: 0, added: 0, changed: 0, removed: 0 };
  const row = (path: string) => {
    const at = folderOf(path, globalFolders);
    if (!at) return noop;
    const { environment, folder } = at;
    const key = `${environment}/${folder}`;
    let r = rows.get(key);
    if (!r) {
      r = { environment, folder, objects: 0, added: 0, changed: 0, removed: 0 };
      rows.set(key, r);
    }
    return r;
  };
  for (const o of [...result.environments.flatMap((e) => e.objects), ...result.global]) row(o.path).objects++;
  for (const p of diff.added) row(p).added++;
  for (const p of diff.changed) row(p).changed++;
  for (const p of diff.removed) row(p).removed++;
  const key = (r: SummaryRow) => `${r.environment}/${r.folder}`;
  return [...rows.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Only the folders that change (a one-line bump prints one row, not the whole repository). */
export function changedRows(rows: readonly SummaryRow[]): SummaryRow[] {
  return rows.filter((r) => r.added + r.changed + r.removed > 0);
}

export function formatSummary(rows: readonly SummaryRow[]): string {
  const head = ['environment', 'folder', 'objects', 'changes'];
  const body = rows.map((r) => {
    const parts = [
      r.added && `+${r.added}`,
      r.changed && `~${r.changed}`,
      r.removed && `-${r.removed}`,
    ].filter(Boolean);
    return [r.environment || '(global)', r.folder, String(r.objects), parts.length ? parts.join(' ') : '·'];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...body.map(line)].join('\n');
}
