/**
 * `history --verify`: re-checks every image change in history against the rules in force when
 * it was made (the target file's previous version), with the commit time as "now". A violation
 * is accepted only when the commit itself records an `Override: <rule>` trailer (with a Reason),
 * which is how `promote --override` writes it and how a hand edit in a PR declares it.
 */
import type { EnvCommit } from './history-read.js';
import { evaluateRules, type Rule } from './rules.js';
import { eventsOf, type Timeline } from './timeline.js';
import { all, first, TRAILER } from './trailers.js';

export interface Violation {
  commit: string;
  time: string;
  author: string;
  subject: string;
  env: string;
  app: string;
  image: string;
  rule: Rule;
  message: string;
  /** True when the commit records `Override: <rule>` with a reason. */
  overridden: boolean;
  reason: string | undefined;
}

export interface VerifyOptions {
  /** Only check these commits (a PR range); the rest of history still informs lineage. */
  only?: Set<string>;
}

export function verifyHistory(
  commits: EnvCommit[],
  timeline: Timeline,
  options: VerifyOptions = {},
): Violation[] {
  const out: Violation[] = [];
  for (const c of commits) {
    if (options.only && !options.only.has(c.sha)) continue;
    const overrides = new Set(
      all(c.trailers, TRAILER.override).map((o) => o.split(/[\s;,]/)[0]!.toLowerCase()),
    );
    const reason = first(c.trailers, TRAILER.reason);
    const isRollback = first(c.trailers, TRAILER.rollbackOf) !== undefined;
    for (const ch of c.changes) {
      // The rules in force are those of the file before the change; a new file has none yet.
      if (!ch.before || !ch.after || ch.before.invalid) continue;
      for (const [app, rel] of Object.entries(ch.after.release)) {
        if (ch.before.release[app]?.image === rel.image) continue;
        // A rollback restores what this environment already ran: lineage and soak held then.
        if (
          isRollback &&
          eventsOf(timeline, ch.env, app).some((e) => e.image === rel.image && e.time < c.time)
        ) {
          continue;
        }
        const { violations } = evaluateRules({
          timeline,
          env: ch.env,
          target: ch.before,
          app,
          image: rel.image,
          at: c.time,
        });
        for (const v of violations) {
          out.push({
            commit: c.sha,
            time: new Date(c.time).toISOString(),
            author: c.author,
            subject: c.subject,
            env: ch.env,
            app,
            image: rel.image,
            rule: v.rule,
            message: v.message,
            overridden: overrides.has(v.rule) && !!reason,
            reason,
          });
        }
      }
    }
  }
  return out;
}
