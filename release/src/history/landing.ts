/**
 * Landed time can only be trusted if it moves forward: a change's time is the committer time of
 * the first-parent commit that brought it to the branch (docs/release.md, "Landed time"), and the
 * committer picks that date (GIT_COMMITTER_DATE). A first-parent commit dated earlier than its
 * first parent cannot have landed after it, so it is reported as a `landed-time` violation: that
 * stops a backdated commit from counting soak it never had. Likewise a first-parent commit dated
 * after the verifier's clock (beyond `FUTURE_SKEW_MS`) cannot have landed yet: dating the prod
 * promotion days ahead would otherwise fake the soak between it and its parent. One
 * `git rev-list --first-parent` of hashes and dates; no file is read.
 */
import { git, gitStream } from '../git/git.js';

/** Clock skew tolerated between the committer's machine and the verifier's. */
export const FUTURE_SKEW_MS = 10 * 60_000;

export interface Backdated {
  /** `parent`: dated earlier than its first parent; `future`: dated after the verifier's clock. */
  kind: 'parent' | 'future';
  sha: string;
  /** Its committer time and its first parent's (ms). */
  time: number;
  parent: string;
  parentTime: number;
  author: string;
  subject: string;
}

export async function readBackdated(root: string, rev: string, now = Date.now()): Promise<Backdated[]> {
  const found: Omit<Backdated, 'author' | 'subject'>[] = [];
  let pending = '';
  // `rev-list --timestamp` prints "<committer time> <sha>", newest first: each line's first
  // parent is the next line. The cheapest walk git has; names are fetched only for findings.
  let newer: { sha: string; time: number } | undefined;
  const take = (line: string) => {
    if (!line) return;
    const sp = line.indexOf(' ');
    const time = Number(line.slice(0, sp)) * 1000;
    const sha = line.slice(sp + 1);
    if (newer && newer.time < time) found.push({ kind: 'parent', ...newer, parent: sha, parentTime: time });
    if (time > now + FUTURE_SKEW_MS) found.push({ kind: 'future', sha, time, parent: '', parentTime: now });
    newer = { sha, time };
  };
  await gitStream(root, ['rev-list', '--first-parent', '--timestamp', rev], (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const l of lines) take(l);
  });
  take(pending);
  if (found.length === 0) return [];
  const names = new Map<string, [string, string]>();
  const out = await git(
    root,
    ['log', '--no-walk=unsorted', '--stdin', '--no-show-signature', '--format=%H%x1f%an%x1f%s'],
    {
      input: `${found.map((f) => f.sha).join('\n')}\n`,
    },
  );
  for (const line of out.split('\n')) {
    const [sha, author, subject] = line.split('\x1f');
    if (sha) names.set(sha, [author ?? '', subject ?? '']);
  }
  return found
    .reverse()
    .map((f) => ({ ...f, author: names.get(f.sha)?.[0] ?? '', subject: names.get(f.sha)?.[1] ?? '' }));
}
