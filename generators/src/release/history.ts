/**
 * The history model in one call: the commits that touched environments/, the per-environment
 * release timeline and the audit rows. Every reader (table, JSON, CSV, HTML report, verify)
 * starts here.
 */
import { buildEntries, type HistoryEntry } from './entries.js';
import { type EnvCommit, type ReadHistoryOptions, readHistory } from './history-read.js';
import { buildTimeline, type Timeline } from './timeline.js';

export interface History {
  commits: EnvCommit[];
  timeline: Timeline;
  entries: HistoryEntry[];
}

export async function loadHistory(root: string, options: ReadHistoryOptions = {}): Promise<History> {
  const commits = await readHistory(root, options);
  return { commits, timeline: buildTimeline(commits), entries: buildEntries(commits) };
}

/** What `history --verify` needs: commits and timeline, without the audit rows. */
export async function loadForVerify(
  root: string,
  options: ReadHistoryOptions = {},
): Promise<Pick<History, 'commits' | 'timeline'>> {
  const commits = await readHistory(root, options);
  return { commits, timeline: buildTimeline(commits) };
}
