/**
 * What runs where now, and how far each environment is behind its upstream: the report's
 * environment × app matrix, from the last version of each environment file in history.
 */

import type { Hold, Snapshot } from '../environments/snapshot.js';
import type { History } from '../history/history.js';
import { eventsOf } from '../history/timeline.js';
import type { Violation } from '../verify/verify.js';

export interface MatrixCell {
  env: string;
  app: string;
  version: string | undefined;
  image: string | undefined;
  /** When the current image arrived (ms), and by which commit. */
  since: number | undefined;
  commit: string | undefined;
  upstream: string | undefined;
  /**
   * `current` (same image as upstream), `behind`, `diverged` (never ran upstream), `baseline`
   * (never ran upstream, but in place since the environment file was created: nothing was
   * promoted, so verify has nothing to check either), or `source` (no upstream).
   */
  status: 'current' | 'behind' | 'diverged' | 'baseline' | 'source';
  /** For `diverged`: verify's verdict on the change that brought the image (one answer for both). */
  lineage: 'violation' | 'overridden' | undefined;
  /** Upstream releases newer than the one this environment runs. */
  behindBy: number;
  /** The upstream's current version when behind. */
  upstreamVersion: string | undefined;
  /** How long the oldest release this environment is missing has waited upstream (ms), when behind. */
  waitingMs: number | undefined;
  holds: Hold[];
}

export interface Matrix {
  envs: string[];
  apps: string[];
  cells: MatrixCell[];
}

/** Environments in promotion order: sources first, then each downstream after its upstream. */
export function promotionOrder(current: Map<string, Snapshot>): string[] {
  const names = [...current.keys()].sort();
  const depth = (env: string, seen = new Set<string>()): number => {
    const up = current.get(env)?.promotesFrom;
    if (!up || !current.has(up) || seen.has(env)) return 0;
    seen.add(env);
    return 1 + depth(up, seen);
  };
  return names.sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
}

export function currentSnapshots(history: History): Map<string, Snapshot> {
  const current = new Map<string, Snapshot>();
  for (const c of history.commits) {
    for (const ch of c.changes) {
      if (ch.after) current.set(ch.env, ch.after);
      else current.delete(ch.env);
    }
  }
  return current;
}

export function buildMatrix(history: History, now: number, violations: Violation[] = []): Matrix {
  const current = currentSnapshots(history);
  const envs = promotionOrder(current);
  const apps = [...new Set([...current.values()].flatMap((s) => Object.keys(s.release)))].sort();
  const cells: MatrixCell[] = [];
  for (const env of envs) {
    const snap = current.get(env)!;
    for (const app of apps) {
      const rel = snap.release[app];
      const events = eventsOf(history.timeline, env, app);
      const last = events.at(-1);
      const upstream = snap.promotesFrom && current.has(snap.promotesFrom) ? snap.promotesFrom : undefined;
      const cell: MatrixCell = {
        env,
        app,
        version: rel?.version,
        image: rel?.image,
        since: last?.image === rel?.image ? last?.time : undefined,
        commit: last?.image === rel?.image ? last?.commit : undefined,
        upstream,
        status: 'source',
        behindBy: 0,
        upstreamVersion: undefined,
        lineage: undefined,
        waitingMs: undefined,
        holds: snap.holds.filter((h) => h.app === app),
      };
      if (upstream) {
        const up = eventsOf(history.timeline, upstream, app);
        const upRel = current.get(upstream)?.release[app];
        cell.upstreamVersion = upRel?.version;
        if (upRel?.image === rel?.image) cell.status = 'current';
        else {
          const at = up.findLastIndex((e) => e.image === rel?.image);
          const introduced = events.findLast((e) => e.image === rel?.image);
          if (at < 0 && introduced?.created) cell.status = 'baseline';
          else if (at < 0) {
            cell.status = 'diverged';
            const found = violations.filter(
              (v) =>
                v.commit === introduced?.commit && v.env === env && v.app === app && v.rule === 'lineage',
            );
            cell.lineage = found.length && found.every((v) => v.overridden) ? 'overridden' : 'violation';
          } else {
            const newer = up.slice(at + 1).filter((e) => e.image && e.image !== rel?.image);
            cell.status = 'behind';
            cell.behindBy = new Set(newer.map((e) => e.image)).size;
            cell.waitingMs = newer[0] ? now - newer[0].time : undefined;
          }
        }
      }
      cells.push(cell);
    }
  }
  return { envs, apps, cells };
}
