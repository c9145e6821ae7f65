/**
 * Landed time can only be trusted if it moves forward: a change's time is the committer time of
 * the first-parent commit that brought it to the branch (docs/release.md, "Landed time"), and the
 * committer picks that date (GIT_COMMITTER_DATE). A first-parent commit dated earlier than its
 * first parent cannot have landed after it, so it is reported as a `landed-time` violation: that
 * stops a backdated commit from counting soak it never had. One `git log --first-parent` of
 * hashes and dates; no file is read.
 */
import { gitStream } from './git.js';

export interface Backdated {
  sha: string;
  /** Its committer time and its first parent's (ms). */
  time: number;
  parent: string;
  parentTime: number;
  author: string;
  subject: string;
}

export async function readBackdated(root: string, rev: string): Promise<Backdated[]> {
  const out: Backdated[] = [];
  let pending = '';
  // Newest first: each line's first parent is the next line.
  let newer: { sha: string; time: number; author: string; subject: string } | undefined;
  const take = (line: string) => {
    if (!line) return;
    const [sha, ct, author, subject] = line.split('\x1f');
    const time = Number(ct) * 1000;
    if (newer && newer.time < time) out.push({ ...newer, parent: sha!, parentTime: time });
    newer = { sha: sha!, time, author: author ?? '', subject: subject ?? '' };
  };
  await gitStream(
    root,
    ['log', '--first-parent', '--no-show-signature', '--format=%H%x1f%ct%x1f%an%x1f%s', rev],
    (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) take(l);
    },
  );
  take(pending);
  return out.reverse();
}
