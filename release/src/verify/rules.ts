/**
 * The promotion rules (docs/design/release-model.md §Promotion rules), evaluated from git history
 * alone: lineage (the upstream environment ran this image first), soak (for at least the target's
 * `promotion.soak`), freezes (no promotion inside a declared window) and holds (a rolled-back image
 * is not promoted again until a later promotion lifts the hold). `promote` evaluates them before
 * writing; `history --verify` evaluates them for every past change.
 */
import { formatDuration } from '@payday/generators/environments';
import type { Hold, Snapshot } from '../environments/snapshot.js';
import {
  eventsOf,
  firstSeen,
  type RanIndex,
  ranRelease,
  type Timeline,
  timeRunning,
} from '../history/timeline.js';

export const RULES = ['lineage', 'soak', 'freeze', 'hold'] as const;
export type Rule = (typeof RULES)[number];

export interface RuleViolation {
  rule: Rule;
  message: string;
}

export interface RuleInput {
  timeline: Timeline;
  /** The target environment's name and its file as it was when the change was made. */
  env: string;
  target: Snapshot;
  app: string;
  image: string;
  /** The moment of the change (ms): now for promote, the commit time for verify. */
  at: number;
  /**
   * The release block being brought in, with the index of what ran where: lineage then also
   * requires the upstream to have run this image with this release config (release config
   * follows lineage like the image). Without them only the image is checked.
   */
  release?: { image: string; config?: unknown };
  ran?: RanIndex;
  /** Holds lifted without the documented lift: they still hold (verify and promote pass them). */
  droppedHolds?: Hold[];
}

export interface RuleResult {
  violations: RuleViolation[];
  /** Time the image ran upstream before `at` (undefined when there is no upstream). */
  soakObservedMs: number | undefined;
}

export function evaluateRules(input: RuleInput): RuleResult {
  const { timeline, env, target, app, image, at } = input;
  const violations: RuleViolation[] = [];
  let soakObservedMs: number | undefined;
  const upstream = target.promotesFrom;
  if (upstream) {
    const events = eventsOf(timeline, upstream, app);
    const seen = firstSeen(events, image, at);
    if (!seen) {
      violations.push({
        rule: 'lineage',
        message: `${env} promotes from ${upstream}, and ${upstream} never ran ${app} ${image}`,
      });
      soakObservedMs = 0;
    } else {
      if (input.release && input.ran && !ranRelease(input.ran, upstream, app, input.release, at)) {
        violations.push({
          rule: 'lineage',
          message: `${env} promotes from ${upstream}, and ${upstream} never ran ${app} ${image} with this release.${app}.config`,
        });
      }
      soakObservedMs = timeRunning(events, image, at);
      if (soakObservedMs < target.soakMs) {
        violations.push({
          rule: 'soak',
          message: `${app} ${image} has run in ${upstream} for ${formatDuration(soakObservedMs)}; ${env} requires a soak of ${formatDuration(target.soakMs)}`,
        });
      }
    }
  }
  for (const f of target.freezes) {
    if (f.start.getTime() <= at && at < f.end.getTime()) {
      violations.push({
        rule: 'freeze',
        message: `${env} is frozen from ${f.start.toISOString()} to ${f.end.toISOString()}${f.reason ? ` (${f.reason})` : ''}`,
      });
    }
  }
  for (const h of target.holds) {
    if (h.app === app && h.image === image) {
      violations.push({
        rule: 'hold',
        message: `${env} holds ${app} ${image}: it was rolled back${h.since ? ` (release introduced in ${h.since.slice(0, 12)})` : ''}${h.reason ? `: ${h.reason}` : ''}`,
      });
    }
  }
  for (const h of input.droppedHolds ?? []) {
    if (h.app === app && h.image === image && !target.holds.some((t) => t.app === app && t.image === image)) {
      violations.push({
        rule: 'hold',
        message: `${env} holds ${app} ${image}: it was rolled back${h.reason ? ` (${h.reason})` : ''}, and the hold was removed without the documented lift`,
      });
    }
  }
  return { violations, soakObservedMs };
}
