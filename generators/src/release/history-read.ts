/**
 * Reads the history of `environments/` with two git processes in total: one `git log` with a
 * custom format and `--raw` (which names the before/after blob of every changed file), and one
 * `git cat-file --batch` for all those blobs. No process per commit, so 10,000 commits cost
 * about as much as the `git log` itself (bench/suites/history.ts measures it).
 */
import { catFileBatch, git } from './git.js';
import { readSnapshot, type Snapshot } from './snapshot.js';
import { parseTrailers, type Trailers } from './trailers.js';

export const ENV_DIR = 'environments';
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
  /** Committer time in ms since the epoch: when the change landed on the branch. */
  time: number;
  subject: string;
  trailers: Trailers;
  changes: FileChange[];
}

export interface ReadHistoryOptions {
  /** The revision to read (default HEAD). */
  rev?: string;
  /** The environment folder relative to the repository root. */
  dir?: string;
}

const FIELD = '\x1f';
const RECORD = '\x1e';
// %H %P %an %ae %ct %s, then the trailers git itself parsed (git-log(1) "trailers[:options]").
const FORMAT = `${RECORD}%H${FIELD}%P${FIELD}%an${FIELD}%ae${FIELD}%ct${FIELD}%s${FIELD}%(trailers:only,unfold)${FIELD}`;

/** The `git log` arguments history uses; exported so the benchmark's baseline uses the same walk. */
export function logArgs(rev: string, dir: string): string[] {
  return [
    'log',
    '--reverse',
    '--raw',
    '--no-abbrev',
    '--no-renames',
    `--format=${FORMAT}`,
    rev,
    '--',
    `${dir}/`,
  ];
}

/** Oldest first. An empty repository or one without environment commits gives []. */
export async function readHistory(root: string, options: ReadHistoryOptions = {}): Promise<EnvCommit[]> {
  const dir = options.dir ?? ENV_DIR;
  const rev = options.rev ?? 'HEAD';
  const hasHead = await git(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).then(
    () => true,
    () => false,
  );
  if (!hasHead) return [];
  const out = await git(root, logArgs(rev, dir));
  const fileRe = new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/([^/]+)\\.ya?ml$`);
  type Raw = Omit<EnvCommit, 'changes'> & {
    raw: { env: string; path: string; before?: string; after?: string }[];
  };
  const commits: Raw[] = [];
  for (const record of out.split(RECORD)) {
    if (!record.trim()) continue;
    const fields = record.split(FIELD);
    const [sha, parents, author, email, ct, subject, trailerBlock, rest] = fields;
    const raw: Raw['raw'] = [];
    for (const line of (rest ?? '').split('\n')) {
      // ":100644 100644 <old> <new> M\t<path>" (git-diff(1) RAW OUTPUT FORMAT)
      if (!line.startsWith(':')) continue;
      const tab = line.indexOf('\t');
      const path = line.slice(tab + 1);
      const m = fileRe.exec(path);
      if (!m) continue;
      const [, , oldSha, newSha] = line.slice(1, tab).split(' ');
      raw.push({
        env: m[1]!,
        path,
        before: oldSha && !ZERO.test(oldSha) ? oldSha : undefined,
        after: newSha && !ZERO.test(newSha) ? newSha : undefined,
      });
    }
    if (raw.length === 0) continue;
    commits.push({
      sha: sha!,
      parents: parents ? parents.split(' ').filter(Boolean) : [],
      author: author ?? '',
      email: email ?? '',
      time: Number(ct) * 1000,
      subject: subject ?? '',
      trailers: parseTrailers(trailerBlock ?? ''),
      raw,
    });
  }
  const blobs = commits
    .flatMap((c) => c.raw.flatMap((r) => [r.before, r.after]))
    .filter((b): b is string => !!b);
  const texts = await catFileBatch(root, blobs);
  const parsed = new Map<string, Snapshot>();
  const snapshot = (blob: string | undefined): Snapshot | undefined => {
    if (!blob) return undefined;
    let s = parsed.get(blob);
    if (!s) {
      const text = texts.get(blob);
      s =
        text === undefined ? { ...readSnapshot(''), invalid: `blob ${blob} is missing` } : readSnapshot(text);
      parsed.set(blob, s);
    }
    return s;
  };
  return commits.map(({ raw, ...c }) => ({
    ...c,
    changes: raw.map((r) => ({
      env: r.env,
      path: r.path,
      before: snapshot(r.before),
      after: snapshot(r.after),
      beforeBlob: r.before,
      afterBlob: r.after,
    })),
  }));
}
