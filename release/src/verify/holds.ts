/**
 * Holds are lifted one documented way (docs/release.md, "Roll back"): a promotion of the app,
 * which `promote` does by replacing the app's image and removing its holds in the same commit.
 * A commit that removes a hold without changing that app's image (for example `holds: []` by
 * hand) has not lifted it: the hold still stands for verify and for the next promote, and the
 * removal itself is a `hold` violation unless it records `Override: hold` (which, like every
 * override, needs an approval). The ledger replays history to know which holds still stand.
 */

import type { Hold } from '../environments/snapshot.js';
import { all, TRAILER } from '../git/trailers.js';
import type { EnvCommit, FileChange } from '../history/history-read.js';

/** Holds `ch` removed without the documented lift. */
export function unliftedRemovals(ch: FileChange): Hold[] {
  if (!ch.before || !ch.after || ch.before.invalid || ch.after.invalid) return [];
  // Most versions hold nothing: no filtered copy per change.
  if (ch.before.holds.length === 0) return ch.before.holds;
  const after = ch.after;
  return ch.before.holds.filter(
    (h) =>
      !after.holds.some((a) => a.app === h.app && a.image === h.image) &&
      ch.before!.release[h.app]?.image === after.release[h.app]?.image,
  );
}

export function overridesOf(c: EnvCommit): Set<string> {
  return new Set(all(c.trailers, TRAILER.override).map((o) => o.split(/[\s;,]/)[0]!.toLowerCase()));
}

/** Per environment, the holds removed without the documented lift that no promotion has lifted since. */
export class HoldLedger {
  private readonly dropped = new Map<string, Hold[]>();

  of(env: string): Hold[] {
    return this.dropped.get(env) ?? [];
  }

  /** Applies one change after it was checked: new unlifted removals stand, a promotion of an app lifts its holds. */
  apply(c: EnvCommit, ch: FileChange, removed: Hold[]): void {
    let list = this.of(ch.env);
    // Nothing stands and nothing was removed: nothing to lift or add (the common case).
    if (list.length === 0 && removed.length === 0) return;
    const changedApps = new Set(
      Object.keys(ch.after?.release ?? {}).filter(
        (app) => ch.before?.release[app]?.image !== ch.after?.release[app]?.image,
      ),
    );
    list = list.filter((h) => !changedApps.has(h.app));
    // Recording `Override: hold` makes the removal a (reviewable) override, not a standing hold.
    if (!overridesOf(c).has('hold')) list = [...list, ...removed];
    this.dropped.set(ch.env, list);
  }

  static replay(commits: EnvCommit[]): HoldLedger {
    const ledger = new HoldLedger();
    for (const c of commits) for (const ch of c.changes) ledger.apply(c, ch, unliftedRemovals(ch));
    return ledger;
  }
}
