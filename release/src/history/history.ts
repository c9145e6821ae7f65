/**
 * The history model in one call: the landed commits that touched environments/, the
 * per-environment release timeline and the audit rows. `history --verify` and the report go
 * through verify/audit.ts, which builds the same model and adds the audit's findings.
 */
import { buildEntries, type HistoryEntry } from './entries.js';
import { type EnvCommit, type ReadHistoryOptions, readHistory } from './history-read.js';
import { buildTimeline, type Timeline } from './timeline.js';

export interface History {
  commits: EnvCommit[];
  timeline: Timeline;
  entries: HistoryEntry[];
}

/** The timeline is built when first asked for: the listings (`history --format …`) never use it. */
export async function loadHistory(root: string, options: ReadHistoryOptions = {}): Promise<History> {
  const commits = await readHistory(root, options);
  let timeline: Timeline | undefined;
  return {
    commits,
    get timeline() {
      timeline ??= buildTimeline(commits);
      return timeline;
    },
    entries: buildEntries(commits),
  };
}
