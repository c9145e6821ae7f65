/**
 * `diff A B`: how two environments differ, split the way
 * docs/design/environments.md §Promoted or pinned splits every value: the `release:` block (what a
 * promotion from A to B would change), the settings pinned to each environment (never promoted),
 * and a summary of the rendered objects.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diffLines } from 'diff';
import {
  changedPaths,
  type Release,
  readSnapshot,
  type Snapshot,
  shortDigest,
} from '../environments/snapshot.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import { envFile } from './preflight.js';

export interface ReleaseDiff {
  app: string;
  a: Release | undefined;
  b: Release | undefined;
  /** `config.X` paths that differ. */
  config: string[];
  same: boolean;
}

export interface SettingDiff {
  path: string;
  a: unknown;
  b: unknown;
}

export interface RenderedDiff {
  identical: number;
  differ: { path: string; lines: number }[];
  onlyA: string[];
  onlyB: string[];
}

export interface EnvironmentDiff {
  a: string;
  b: string;
  release: ReleaseDiff[];
  settings: SettingDiff[];
  rendered: RenderedDiff | undefined;
}

function at(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const k of path.split('.'))
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

export function diffSnapshots(a: Snapshot, b: Snapshot): Pick<EnvironmentDiff, 'release' | 'settings'> {
  const apps = [...new Set([...Object.keys(a.release), ...Object.keys(b.release)])].sort();
  const release = apps.map((app) => {
    const ra = a.release[app];
    const rb = b.release[app];
    const config = changedPaths(ra?.config ?? {}, rb?.config ?? {}).filter((p) => p !== '(root)');
    return {
      app,
      a: ra,
      b: rb,
      config,
      same: ra?.image === rb?.image && ra?.version === rb?.version && config.length === 0,
    };
  });
  // Freezes, holds and promotesFrom are settings too: they belong to the environment.
  const settings = changedPaths({ ...a.settings, holds: a.holds }, { ...b.settings, holds: b.holds }).map(
    (path) => ({
      path,
      a: at({ ...a.settings, holds: a.holds }, path),
      b: at({ ...b.settings, holds: b.holds }, path),
    }),
  );
  return { release, settings };
}

/** Compares the rendered files of two environments with the environment names normalized. */
export function diffRendered(a: string, b: string, files: { path: string; content: string }[]): RenderedDiff {
  const pick = (env: string) => {
    const prefix = `gitops/${env}/`;
    const word = new RegExp(`\\b${env.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'g');
    return new Map(
      files
        .filter((f) => f.path.startsWith(prefix))
        .map((f) => [f.path.slice(prefix.length).replace(word, '<env>'), f.content.replace(word, '<env>')]),
    );
  };
  const fa = pick(a);
  const fb = pick(b);
  const out: RenderedDiff = { identical: 0, differ: [], onlyA: [], onlyB: [] };
  for (const [path, content] of [...fa].sort(([x], [y]) => x.localeCompare(y))) {
    const other = fb.get(path);
    if (other === undefined) out.onlyA.push(path);
    else if (other === content) out.identical += 1;
    else {
      const lines = diffLines(content, other)
        .filter((p) => p.added || p.removed)
        .reduce((n, p) => n + (p.count ?? 0), 0);
      out.differ.push({ path, lines });
    }
  }
  out.onlyB = [...fb.keys()].filter((p) => !fa.has(p)).sort();
  return out;
}

export async function diffEnvironments(
  root: string,
  a: string,
  b: string,
  pipeline: Pipeline | undefined,
): Promise<EnvironmentDiff> {
  const sa = readSnapshot(await readFile(join(root, envFile(a)), 'utf8'));
  const sb = readSnapshot(await readFile(join(root, envFile(b)), 'utf8'));
  for (const [env, s] of [
    [a, sa],
    [b, sb],
  ] as const) {
    if (s.invalid) throw new Error(`${envFile(env)}: ${s.invalid}`);
  }
  const rendered = pipeline
    ? diffRendered(a, b, (await pipeline.render(root, [a, b], new Map())).files)
    : undefined;
  return { a, b, ...diffSnapshots(sa, sb), rendered };
}

function show(v: unknown): string {
  if (v === undefined) return '(unset)';
  const s = v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

export function formatEnvironmentDiff(d: EnvironmentDiff, limit = 30): string {
  const lines: string[] = [];
  lines.push(`release (what promote --from ${d.a} --to ${d.b} would change):`);
  const w = Math.max(...d.release.map((r) => r.app.length), 3);
  for (const r of d.release) {
    if (r.same) lines.push(`  ${r.app.padEnd(w)}  same (${r.a?.version})`);
    else {
      const parts = [`${r.b?.version ?? 'none'} → ${r.a?.version ?? 'none'}`];
      if (r.a?.image !== r.b?.image)
        parts.push(`image ${shortDigest(r.b?.image)} → ${shortDigest(r.a?.image)}`);
      if (r.config.length) parts.push(`config: ${r.config.join(', ')}`);
      lines.push(`  ${r.app.padEnd(w)}  ${parts.join('   ')}`);
    }
  }
  lines.push('', 'settings (pinned to each environment, never promoted):');
  if (d.settings.length === 0) lines.push('  none differ');
  const pw = Math.max(0, ...d.settings.map((s) => s.path.length));
  for (const s of d.settings.slice(0, limit))
    lines.push(`  ${s.path.padEnd(pw)}  ${d.a}: ${show(s.a)}   ${d.b}: ${show(s.b)}`);
  if (d.settings.length > limit) lines.push(`  … and ${d.settings.length - limit} more`);
  if (d.rendered) {
    const r = d.rendered;
    lines.push(
      '',
      `rendered objects (gitops/${d.a} vs gitops/${d.b}, environment names normalized):`,
      `  ${r.identical} identical, ${r.differ.length} differ, ${r.onlyA.length} only in ${d.a}, ${r.onlyB.length} only in ${d.b}`,
    );
    const items = [
      ...r.differ.map((x) => `  ~ ${x.path} (${x.lines} line${x.lines === 1 ? '' : 's'})`),
      ...r.onlyA.map((p) => `  - ${d.a} only: ${p}`),
      ...r.onlyB.map((p) => `  + ${d.b} only: ${p}`),
    ];
    lines.push(...items.slice(0, limit));
    if (items.length > limit) lines.push(`  … and ${items.length - limit} more`);
  }
  return `${lines.join('\n')}\n`;
}
