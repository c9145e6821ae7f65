/**
 * Reads the history of `environments/` as it landed on the branch, with two git processes in
 * the common case: one `git log --first-parent` with a custom format and `--raw` (which names
 * the before/after blob of every changed file), and one `git cat-file --batch` for all those
 * blobs. No process per commit, so 10,000 commits cost about as much as the `git log` itself
 * (bench/suites/history.ts measures it).
 *
 * First parent only (docs/release.md, "Landed time"): a change's time is when it reached the
 * protected branch, so each first-parent commit (a merge, a squash, a rebased or a direct commit)
 * is one landed change, diffed against its first parent (`--diff-merges=first-parent`), which
 * makes a merge's own edits visible. Commits on a merged branch are not timeline events: their
 * committer dates are whatever their author chose. Their trailers still count as the merge's
 * evidence (read with one extra `git log` per merge that touches environments/).
 */

import { readSnapshot, type SectionCache, type Snapshot } from '../environments/snapshot.js';
import { BlobReader, git } from '../git/git.js';
import { gitSpooled } from '../git/git-spool.js';
import { embeddedTrailers, mergeTrailers, parseTrailers, TRAILER, type Trailers } from '../git/trailers.js';

export const ENV_DIR = 'environments';
/** Where the rendered output lives, and the folders whose change explains a change of it. */
export const RENDERED_DIR = 'gitops';
export const RENDER_SOURCES = ['generators', 'policies'] as const;
const ZERO = /^0+$/;

export interface FileChange {
  env: string;
  path: string;
  /** The file before this commit (undefined when the commit created it). */
  before: Snapshot | undefined;
  /** The file after this commit (undefined when the commit deleted it). */
  after: Snapshot | undefined;
  beforeBlob: string | undefined;
  afterBlob: string | undefined;
}

export interface EnvCommit {
  sha: string;
  parents: string[];
  author: string;
  email: string;
  /**
   * Landed time (ms since the epoch): the committer time of this first-parent commit, i.e. when
   * the change reached the branch (for a merged PR, the merge, not the branch commits).
   */
  time: number;
  subject: string;
  /** This commit's trailers, plus those of the commits a merge brings in or a squash message quotes. */
  trailers: Trailers;
  changes: FileChange[];
  /**
   * Rendered files (under gitops/) this commit changed without changing environments/ or a
   * render source (generators/, policies/): a hand edit of rendered output. Empty otherwise.
   */
  renderedOnly: string[];
  /** E-mails of the people whose commits this landed change contains (a merge: its branch's authors). */
  authors: string[];
  /** Signature status when signatures were read (git-log(1) %G?, %GF: code and key fingerprint). */
  signature?: { code: string; fingerprint: string; signer: string };
}

export interface ReadHistoryOptions {
  /** The revision to read (default HEAD). */
  rev?: string;
  /** The environment folder relative to the repository root. */
  dir?: string;
  /**
   * Read each commit's signature, verified against this allowed-signers file (git's
   * `gpg.ssh.allowedSignersFile`). Without it, no signature is checked (and none is costed).
   */
  allowedSignersFile?: string;
}

const FIELD = '\x1f';
const RECORD = '\x1e';
// %H %P %an %ae %ct %s, then the trailers git itself parsed (git-log(1) "trailers[:options]").
const FORMAT = `${RECORD}%H${FIELD}%P${FIELD}%an${FIELD}%ae${FIELD}%ct${FIELD}%s${FIELD}%(trailers:only,unfold)${FIELD}`;
// With signatures: %G? (G good, B bad, U unknown signer, N none, …), %GF (key fingerprint), %GS.
const SIGNED_FORMAT = `${FORMAT}%G?${FIELD}%GF${FIELD}%GS${FIELD}`;

/**
 * The `git log` arguments history uses; exported so the benchmark's baseline uses the same walk.
 * Newest first (no --reverse: git would walk everything before printing the first line).
 * `--no-show-signature` keeps a user's `log.showSignature` out of the parsed output.
 */
export function logArgs(rev: string, dir: string, signed = false): string[] {
  return [
    'log',
    '--first-parent',
    '--diff-merges=first-parent',
    '--no-show-signature',
    '--raw',
    '--no-abbrev',
    '--no-renames',
    `--format=${signed ? SIGNED_FORMAT : FORMAT}`,
    // The revision is never an option, whoever calls this (git 2.24+, gitcli(7)).
    '--end-of-options',
    rev,
    '--',
    `${dir}/`,
    `${RENDERED_DIR}/`,
    ...RENDER_SOURCES.map((d) => `${d}/`),
  ];
}

/** Where the next raw diff line (starting with `:`) after `from` starts, or -1. */
function nextRaw(rest: string, from: number): number {
  const i = rest.indexOf('\n:', from);
  return i < 0 ? -1 : i + 1;
}

/** A commit as the log names it: its changes name their blobs; the snapshots are filled in once read. */
function parseRecord(record: string, fileRe: RegExp, dir: string, signed: boolean): EnvCommit | undefined {
  const fields = record.split(FIELD);
  const [sha, parents, author, email, ct, subject, trailerBlock] = fields;
  const rest = fields[signed ? 10 : 7] ?? '';
  let changes: FileChange[] | undefined;
  let rendered: string[] | undefined;
  let sourceChanged = false;
  const renderedPrefix = `${RENDERED_DIR}/`;
  const dirPrefix = `${dir}/`;
  // ":100644 100644 <old> <new> M\t<path>" (git-diff(1) RAW OUTPUT FORMAT), one per line.
  for (let pos = rest.startsWith(':') ? 0 : nextRaw(rest, 0); pos >= 0; pos = nextRaw(rest, pos)) {
    let end = rest.indexOf('\n', pos);
    if (end < 0) end = rest.length;
    const line = rest.slice(pos, end);
    const tab = line.indexOf('\t');
    const path = line.slice(tab + 1);
    if (path.startsWith(renderedPrefix)) {
      if (rendered) rendered.push(path);
      else rendered = [path];
      continue;
    }
    sourceChanged = true;
    if (!path.startsWith(dirPrefix)) continue;
    const m = fileRe.exec(path);
    if (!m) continue;
    // The ids sit after the two modes (`:100644 100644 `); --no-abbrev makes them 40 hex digits
    // (SHA-1) or 64 (SHA-256): read them by the spaces around them.
    const s1 = line.indexOf(' ', line.indexOf(' ') + 1) + 1;
    const s2 = line.indexOf(' ', s1) + 1;
    const oldSha = line.slice(s1, s2 - 1);
    const newSha = line.slice(s2, line.indexOf(' ', s2));
    const change: FileChange = {
      env: m[1]!,
      path,
      before: undefined,
      after: undefined,
      beforeBlob: oldSha && !ZERO.test(oldSha) ? oldSha : undefined,
      afterBlob: newSha && !ZERO.test(newSha) ? newSha : undefined,
    };
    if (changes) changes.push(change);
    else changes = [change];
  }
  const parentList = parents ? (parents.includes(' ') ? parents.split(' ').filter(Boolean) : [parents]) : [];
  // A root commit creates the tree, rendered output included: nothing to explain it by.
  const renderedOnly = !sourceChanged && parentList.length > 0 && rendered ? rendered : [];
  if (!changes && renderedOnly.length === 0) return undefined;
  const commit: EnvCommit = {
    sha: sha!,
    parents: parentList,
    author: author ?? '',
    email: email ?? '',
    time: Number(ct) * 1000,
    subject: subject ?? '',
    trailers: parseTrailers(trailerBlock ?? ''),
    changes: changes ?? [],
    renderedOnly,
    authors: [email ?? ''],
  };
  if (signed)
    commit.signature = { code: fields[7] ?? '', fingerprint: fields[8] ?? '', signer: fields[9] ?? '' };
  return commit;
}

/**
 * Oldest first. An empty repository or one without environment commits gives []. The log is
 * streamed: every blob it names is requested from `git cat-file --batch` at once and parsed
 * when it arrives, so git log, cat-file and the YAML parsing overlap. The log goes through a
 * temporary file (git/git-spool.ts), so git never waits for the parser.
 */
export async function readHistory(root: string, options: ReadHistoryOptions = {}): Promise<EnvCommit[]> {
  const dir = options.dir ?? ENV_DIR;
  const rev = options.rev ?? 'HEAD';
  const signed = options.allowedSignersFile !== undefined;
  const fileRe = new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/([^/]+)\\.ya?ml$`);
  const reader = new BlobReader(root);
  const cache: SectionCache = new Map();
  // One parse per distinct blob: consecutive versions share a blob (the after of one change is
  // the before of the next), so most are named twice. Answers arrive in request order.
  const snapshots = new Map<string, Snapshot | undefined>();
  const request = (blob: string | undefined, path: string) => {
    if (!blob || snapshots.has(blob)) return;
    snapshots.set(blob, undefined);
    reader.request(blob, (text) => {
      snapshots.set(
        blob,
        text === undefined
          ? { ...readSnapshot(''), invalid: `blob ${blob} is missing` }
          : readSnapshot(text, cache, path),
      );
    });
  };
  const commits: EnvCommit[] = [];
  let pending = '';
  const take = (record: string) => {
    if (!record.trim()) return;
    const c = parseRecord(record, fileRe, dir, signed);
    if (!c) return;
    for (const ch of c.changes) {
      request(ch.beforeBlob, ch.path);
      request(ch.afterBlob, ch.path);
    }
    commits.push(c);
  };
  try {
    const config = signed ? ['-c', `gpg.ssh.allowedSignersFile=${options.allowedSignersFile}`] : [];
    try {
      await gitSpooled(root, [...config, ...logArgs(rev, dir, signed)], (chunk) => {
        const records = (pending + chunk).split(RECORD);
        pending = records.pop() ?? '';
        for (const r of records) take(r);
        reader.flush();
      });
    } catch (err) {
      // An empty repository (or a revision that is not a commit) has no history. Asked only when
      // the log fails, so the usual read costs no extra process.
      const hasHead = await git(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).then(
        () => true,
        () => false,
      );
      if (!hasHead) return [];
      throw err;
    }
    take(pending);
    // --buffer holds the last answers until stdin closes: closing is what delivers them, and
    // once git has exited every answer has been handed over.
    await reader.close();
    reader.check();
    const out: EnvCommit[] = [];
    for (let i = commits.length - 1; i >= 0; i--) {
      const commit = commits[i]!;
      for (const ch of commit.changes) {
        if (ch.beforeBlob) ch.before = snapshot(snapshots, ch.beforeBlob);
        if (ch.afterBlob) ch.after = snapshot(snapshots, ch.afterBlob);
      }
      out.push(commit);
    }
    await addEvidence(root, out);
    return out;
  } finally {
    await reader.close();
  }
}

function snapshot(snapshots: Map<string, Snapshot | undefined>, blob: string): Snapshot {
  const s = snapshots.get(blob);
  if (!s) throw new Error(`git cat-file --batch did not answer for blob ${blob}`);
  return s;
}

function hasAny(trailers: Trailers, keys: Set<string>): boolean {
  for (const k of trailers.keys()) if (keys.has(k)) return true;
  return false;
}

/**
 * Completes each landed commit's trailers where a merge strategy moved them:
 * - a merge commit: the trailers of the commits it brings in (`git log P1..P2`), where
 *   `promote --branch` wrote them;
 * - a squash: the trailer paragraphs its message quotes (git's own squash message indents each
 *   squashed commit's message by four spaces, so git no longer sees them as trailers).
 * Only commits that need it cost a process: merges that touch environments/, and commits
 * without release trailers that change an environment with an upstream.
 */
async function addEvidence(root: string, commits: EnvCommit[]): Promise<void> {
  const merges = commits.filter((c) => c.parents.length > 1 && c.changes.length > 0);
  await Promise.all(
    merges.map(async (c) => {
      const out = await git(root, [
        'log',
        '--no-show-signature',
        `--format=%ae${FIELD}%(trailers:only,unfold)${RECORD}`,
        `${c.parents[0]}..${c.parents[1]}`,
      ]);
      const authors = new Set<string>();
      for (const record of out.split(RECORD)) {
        const i = record.indexOf(FIELD);
        if (i < 0) continue;
        authors.add(record.slice(0, i).trim());
        mergeTrailers(c.trailers, parseTrailers(record.slice(i + 1)));
      }
      c.authors = [...authors];
    }),
  );
  // "Without trailers" means without ours: hosting services add their own to a squash message
  // (`Co-authored-by:`, `Signed-off-by:`), which must not hide the quoted release trailers.
  const ours = new Set<string>(Object.values(TRAILER));
  const bare = commits.filter(
    (c) =>
      !hasAny(c.trailers, ours) && c.changes.some((ch) => ch.before?.promotesFrom || ch.after?.promotesFrom),
  );
  if (bare.length === 0) return;
  const out = await git(
    root,
    ['log', '--no-walk=unsorted', '--stdin', '--no-show-signature', `--format=%H${FIELD}%B${RECORD}`],
    {
      input: `${bare.map((c) => c.sha).join('\n')}\n`,
    },
  );
  const bySha = new Map(bare.map((c) => [c.sha, c]));
  for (const record of out.split(RECORD)) {
    const i = record.indexOf(FIELD);
    if (i < 0) continue;
    const c = bySha.get(record.slice(0, i).trim());
    if (c) mergeTrailers(c.trailers, embeddedTrailers(record.slice(i + 1)));
  }
}
