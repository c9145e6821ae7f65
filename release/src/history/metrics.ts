/**
 * Delivery metrics per environment, the four keys of DORA ("Accelerate", Forsgren, Humble &
 * Kim; dora.dev): deployment frequency, lead time (here: from a release's first appearance in
 * the first environment of the lineage to its arrival in this one), change failure rate as
 * rollback rate, and time to restore (from the rolled-back release's arrival to the rollback).
 */

import { first, TRAILER } from '../git/trailers.js';
import type { History } from './history.js';
import type { EnvCommit } from './history-read.js';

export interface EnvMetrics {
  env: string;
  deployments: number;
  /** Deployments per day over the span from the first to the last commit of history (at least one day). */
  perDay: number;
  /** Median lead time in ms, over deployments whose image was seen earlier elsewhere. */
  leadTimeMs: number | undefined;
  rollbacks: number;
  /** rollbacks ÷ deployments (0 when no deployments). */
  rollbackRate: number;
  /** Median time to restore in ms over rollbacks. */
  timeToRestoreMs: number | undefined;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface MetricsWindow {
  since?: Date;
  until?: Date;
}

export function deliveryMetrics(history: History, envs: string[], window: MetricsWindow = {}): EnvMetrics[] {
  const inWindow = (t: number) =>
    (!window.since || t >= window.since.getTime()) && (!window.until || t <= window.until.getTime());
  // The first time each image appeared in any environment: where its lead time starts.
  const firstSeen = new Map<string, number>();
  for (const byApp of history.timeline.values()) {
    for (const events of byApp.values()) {
      for (const e of events) {
        if (e.image && (firstSeen.get(e.image) ?? Number.POSITIVE_INFINITY) > e.time)
          firstSeen.set(e.image, e.time);
      }
    }
  }
  const commitTime = new Map(history.commits.map((c: EnvCommit) => [c.sha, c.time]));
  const times = history.commits.map((c) => c.time).filter(inWindow);
  const spanDays = times.length ? Math.max(1, (Math.max(...times) - Math.min(...times)) / 86_400_000) : 1;
  return envs.map((env) => {
    let deployments = 0;
    let rollbacks = 0;
    const lead: number[] = [];
    const restore: number[] = [];
    for (const c of history.commits) {
      if (!inWindow(c.time)) continue;
      const ch = c.changes.find((x) => x.env === env);
      // A new file is the environment's creation, not a deployment.
      if (!ch?.before || !ch.after) continue;
      const changed = Object.entries(ch.after.release).filter(
        ([app, r]) => ch.before!.release[app]?.image !== r.image,
      );
      if (changed.length === 0) continue;
      deployments += 1;
      const rollbackOf = first(c.trailers, TRAILER.rollbackOf);
      if (rollbackOf) {
        rollbacks += 1;
        const bad = commitTime.get(rollbackOf);
        if (bad !== undefined) restore.push(c.time - bad);
        continue;
      }
      for (const [, r] of changed) {
        const seen = firstSeen.get(r.image);
        if (seen !== undefined && seen < c.time) lead.push(c.time - seen);
      }
    }
    return {
      env,
      deployments,
      perDay: deployments / spanDays,
      leadTimeMs: median(lead),
      rollbacks,
      rollbackRate: deployments ? rollbacks / deployments : 0,
      timeToRestoreMs: median(restore),
    };
  });
}
