/**
 * The audit table: one row per (commit, environment, app) change, classified from the commit's
 * trailers and the file diff. Kinds: `promote` (written by `npm run promote`), `rollback`
 * (`npm run rollback`), `override` (a change that carries an `Override:` trailer), `hand edit`
 * (a `release:` change with no release trailers) and `config change` (settings only).
 */

import {
  changedKeys,
  changedPaths,
  type Release,
  sameRelease,
  sortStrings,
} from '../environments/snapshot.js';
import { all, first, TRAILER } from '../git/trailers.js';
import type { EnvCommit } from './history-read.js';
import { isoTimes } from './iso-time.js';

export type Kind = 'promote' | 'rollback' | 'override' | 'hand edit' | 'config change';

export interface HistoryEntry {
  time: string;
  commit: string;
  author: string;
  env: string;
  /** The app, or `*` for settings that belong to the whole environment. */
  app: string;
  kind: Kind;
  fromVersion: string | undefined;
  toVersion: string | undefined;
  fromImage: string | undefined;
  toImage: string | undefined;
  /** `pass`/`fail` from the `Gate:` trailer, `—` when the commit carries none. */
  gate: string;
  gateReport: string | undefined;
  overrides: string[];
  reason: string | undefined;
  ticket: string | undefined;
  /** What changed, for config rows (dotted paths). */
  summary: string;
  subject: string;
}

export interface EntryFilter {
  env?: string[];
  app?: string[];
  since?: Date;
  until?: Date;
}

function releaseKind(c: EnvCommit, env: string, app: string): Kind {
  if (all(c.trailers, TRAILER.override).length) return 'override';
  if (first(c.trailers, TRAILER.rollbackOf)) return 'rollback';
  const promoted = all(c.trailers, TRAILER.app);
  if (promoted.includes(app) && all(c.trailers, TRAILER.to).includes(env)) return 'promote';
  return 'hand edit';
}

type Base = Pick<
  HistoryEntry,
  'time' | 'commit' | 'author' | 'gate' | 'gateReport' | 'overrides' | 'reason' | 'ticket' | 'subject'
>;

// One literal with every field (no object spread: at 30,000 rows, spreading costs more than reading the history).
function row(
  b: Base,
  env: string,
  app: string,
  kind: Kind,
  fromVersion: string | undefined,
  toVersion: string | undefined,
  fromImage: string | undefined,
  toImage: string | undefined,
  summary: string,
): HistoryEntry {
  return {
    time: b.time,
    commit: b.commit,
    author: b.author,
    env,
    app,
    kind,
    fromVersion,
    toVersion,
    fromImage,
    toImage,
    gate: b.gate,
    gateReport: b.gateReport,
    overrides: b.overrides,
    reason: b.reason,
    ticket: b.ticket,
    summary,
    subject: b.subject,
  };
}

// A promotion copies an app's release block verbatim, so the same (before, after) pair of
// blocks recurs in every environment it reaches; history shares one Release object per distinct
// block (environments/snapshot.ts), so the pair is a cache key.
const releaseDiffs = new WeakMap<Release, WeakMap<Release, { app: string; paths: string | undefined }>>();

/** The changed `release.<app>` paths, comma-separated, or undefined when the blocks are equal. */
function releasePaths(
  app: string,
  before: Release | undefined,
  after: Release | undefined,
): string | undefined {
  if (before === after) return undefined;
  const memo = before && after ? releaseDiffs.get(before) : undefined;
  const hit = memo && after ? memo.get(after) : undefined;
  if (hit?.app === app) return hit.paths;
  const paths = sameRelease(before, after)
    ? undefined
    : changedPaths(before, after)
        .map((p) => (p === '(root)' ? 'release' : `release.${app}.${p}`))
        .join(', ');
  if (before && after) {
    const m = memo ?? new WeakMap<Release, { app: string; paths: string | undefined }>();
    m.set(after, { app, paths });
    releaseDiffs.set(before, m);
  }
  return paths;
}

/** The apps of two release blocks, sorted (usually the same list on both sides). */
function appsOf(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): string[] {
  const ka = a ? Object.keys(a) : [];
  const kb = b ? Object.keys(b) : [];
  const same = ka.length === kb.length && ka.every((k, i) => k === kb[i]);
  return sortStrings(same ? ka : [...new Set([...ka, ...kb])]);
}

// A `Gate:` trailer's verdict and report reference. The release commands write the same value
// into most commits, so it is split once per distinct value.
function gateParts(memo: Map<string, string[]>, value: string): string[] {
  let parts = memo.get(value);
  if (!parts) {
    parts = value.split(/\s+/, 2);
    memo.set(value, parts);
  }
  return parts;
}

export function buildEntries(commits: EnvCommit[]): HistoryEntry[] {
  const rows: HistoryEntry[] = [];
  const gates = new Map<string, string[]>();
  const isoTime = isoTimes();
  for (const c of commits) {
    const gateTrailer = first(c.trailers, TRAILER.gate);
    const [gate, gateReport] = gateTrailer ? gateParts(gates, gateTrailer) : ['—', undefined];
    const base: Base = {
      time: isoTime(c.time),
      commit: c.sha,
      author: c.author,
      gate: gate ?? '—',
      gateReport,
      overrides: all(c.trailers, TRAILER.override),
      reason: first(c.trailers, TRAILER.reason),
      ticket: first(c.trailers, TRAILER.ticket),
      subject: c.subject,
    };
    // Holds are written and lifted by promote and rollback: part of those rows, not a change of their own.
    const releaseCommit =
      first(c.trailers, TRAILER.rollbackOf) !== undefined || all(c.trailers, TRAILER.app).length > 0;
    for (const ch of c.changes) {
      // Compare section text first: most commits leave most sections byte-identical.
      const keys = changedKeys(ch.before, ch.after);
      const releaseChanged = keys.includes('release') || !!ch.before?.invalid || !!ch.after?.invalid;
      const apps = releaseChanged ? appsOf(ch.before?.release, ch.after?.release) : [];
      for (const app of apps) {
        const before = ch.before?.release[app];
        const after = ch.after?.release[app];
        const paths = releasePaths(app, before, after);
        if (paths === undefined) continue;
        rows.push(
          row(
            base,
            ch.env,
            app,
            releaseKind(c, ch.env, app),
            before?.version,
            after?.version,
            before?.image,
            after?.image,
            paths,
          ),
        );
      }
      // Only the release block changed (a promotion): no settings to list.
      if (keys.length === 0 || (keys.length === 1 && keys[0] === 'release')) continue;
      const settingPaths = [
        ...keys
          .filter((k) => k !== 'release' && k !== 'holds')
          .flatMap((k) => changedPaths(ch.before?.settings[k], ch.after?.settings[k], k)),
        ...(releaseCommit || !keys.includes('holds')
          ? []
          : changedPaths(ch.before?.holds ?? [], ch.after?.holds ?? []).map(() => 'holds')),
      ];
      const byApp = new Map<string, string[]>();
      for (const p of new Set(settingPaths)) {
        const m = /^apps\.([^.]+)/.exec(p);
        const app = m ? m[1]! : '*';
        byApp.set(app, [...(byApp.get(app) ?? []), p]);
      }
      for (const [app, paths] of byApp) {
        rows.push(
          row(
            base,
            ch.env,
            app,
            'config change',
            undefined,
            undefined,
            undefined,
            undefined,
            paths.join(', '),
          ),
        );
      }
    }
  }
  return rows;
}

export function filterEntries(rows: HistoryEntry[], f: EntryFilter): HistoryEntry[] {
  return rows.filter(
    (r) =>
      (!f.env?.length || f.env.includes(r.env)) &&
      (!f.app?.length || f.app.includes(r.app) || r.app === '*') &&
      (!f.since || Date.parse(r.time) >= f.since.getTime()) &&
      (!f.until || Date.parse(r.time) <= f.until.getTime()),
  );
}
