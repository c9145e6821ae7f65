/**
 * What ran where, when: per environment and app, the sequence of images taken from the
 * history of the environment files. Lineage, soak, rollback targets, the report's matrix and
 * the delivery metrics are all questions about this sequence.
 */
import type { EnvCommit } from './history-read.js';

export interface ReleaseEvent {
  /** Committer time (ms) of the commit that made this image current. */
  time: number;
  commit: string;
  /** undefined when the app was removed from the release block. */
  image: string | undefined;
  version: string | undefined;
  /**
   * The commit created the environment file (or replaced an unreadable one): there was no
   * previous version whose rules it could break, so lineage is not checked for it. The report
   * shows such a release as the environment's baseline, verify skips it: one answer.
   */
  created: boolean;
}

/** env → app → events, oldest first. Only image changes are events (a config-only change is not a new release). */
export type Timeline = Map<string, Map<string, ReleaseEvent[]>>;

export function buildTimeline(commits: EnvCommit[]): Timeline {
  const timeline: Timeline = new Map();
  for (const c of commits) {
    for (const ch of c.changes) {
      const beforeApps = ch.before ? Object.keys(ch.before.release) : [];
      const afterApps = ch.after ? Object.keys(ch.after.release) : [];
      // The apps of both sides, in first-seen order, without building a set for the usual case
      // (the same apps before and after).
      const apps =
        beforeApps.length === afterApps.length && beforeApps.every((a, i) => a === afterApps[i])
          ? beforeApps
          : [...new Set([...beforeApps, ...afterApps])];
      for (const app of apps) {
        const before = ch.before?.release[app];
        const after = ch.after?.release[app];
        if (before === after || before?.image === after?.image) continue;
        const byApp = timeline.get(ch.env) ?? new Map<string, ReleaseEvent[]>();
        timeline.set(ch.env, byApp);
        const events = byApp.get(app) ?? [];
        byApp.set(app, events);
        events.push({
          time: c.time,
          commit: c.sha,
          image: after?.image,
          version: after?.version,
          created: !ch.before || !!ch.before.invalid,
        });
      }
    }
  }
  return timeline;
}

export function eventsOf(timeline: Timeline, env: string, app: string): ReleaseEvent[] {
  return timeline.get(env)?.get(app) ?? [];
}

// Per event list: image → indexes of the events that made it current. Verify asks about every
// change in history, so scanning the whole list each time would be quadratic in its length.
const indexes = new WeakMap<ReleaseEvent[], { length: number; byImage: Map<string, number[]> }>();

function occurrences(events: ReleaseEvent[], image: string): number[] {
  let index = indexes.get(events);
  if (!index || index.length !== events.length) {
    const byImage = new Map<string, number[]>();
    events.forEach((e, i) => {
      if (!e.image) return;
      const list = byImage.get(e.image);
      if (list) list.push(i);
      else byImage.set(e.image, [i]);
    });
    index = { length: events.length, byImage };
    indexes.set(events, index);
  }
  return index.byImage.get(image) ?? [];
}

/** The first time `image` became current in `env` at or before `at`, if ever. */
export function firstSeen(events: ReleaseEvent[], image: string, at: number): ReleaseEvent | undefined {
  const i = occurrences(events, image)[0];
  return i !== undefined && events[i]!.time <= at ? events[i] : undefined;
}

/**
 * How long `image` has run in an environment up to `at`: the sum of every interval during
 * which it was the current image (a release replaced after an hour and re-promoted later does
 * not accumulate the time it was gone).
 */
export function timeRunning(events: ReleaseEvent[], image: string, at: number): number {
  let total = 0;
  for (const i of occurrences(events, image)) {
    const e = events[i]!;
    if (e.time > at) break;
    const end = Math.min(events[i + 1]?.time ?? at, at);
    total += Math.max(0, end - e.time);
  }
  return total;
}

/**
 * The identity of a release block for lineage: its image and its release-coupled config
 * (`version` is a label). A release "ran" in an environment only with the config it ran with,
 * so `REFUNDS_PARTIAL_ENABLED: true` on an image staging ran with `false` has not run in staging.
 */
export function releaseKey(rel: { image: string; config?: unknown }): string {
  // History reads share one parsed object per distinct release text (environments/snapshot.ts), so most
  // calls hit this cache: verify asks for every app of every change.
  let key = keys.get(rel);
  if (key === undefined) {
    key = `${rel.image} ${JSON.stringify(canonical(rel.config ?? null))}`;
    keys.set(rel, key);
  }
  return key;
}

const keys = new WeakMap<object, string>();

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object' && !(v instanceof Date))
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  return v;
}

/** env → app → release key → the first landed time it became current there. */
export type RanIndex = Map<string, Map<string, Map<string, number>>>;

/** Records the release blocks a commit made current (call in history order). */
export function recordRan(index: RanIndex, c: EnvCommit): void {
  for (const ch of c.changes) {
    for (const [app, rel] of Object.entries(ch.after?.release ?? {})) {
      const byApp = index.get(ch.env) ?? new Map<string, Map<string, number>>();
      index.set(ch.env, byApp);
      const keys = byApp.get(app) ?? new Map<string, number>();
      byApp.set(app, keys);
      const key = releaseKey(rel);
      if (!keys.has(key)) keys.set(key, c.time);
    }
  }
}

export function buildRanIndex(commits: EnvCommit[]): RanIndex {
  const index: RanIndex = new Map();
  for (const c of commits) recordRan(index, c);
  return index;
}

/** Whether `env` ran this exact release block (image and config) at or before `at`. */
export function ranRelease(
  index: RanIndex,
  env: string,
  app: string,
  rel: { image: string; config?: unknown },
  at: number,
): boolean {
  const t = index.get(env)?.get(app)?.get(releaseKey(rel));
  return t !== undefined && t <= at;
}
