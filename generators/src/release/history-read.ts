/**
 * Reads the history of `environments/` with two git processes in total: one `git log` with a
 * custom format and `--raw` (which names the before/after blob of every changed file), and one
 * `git cat-file --batch` for all those blobs. No process per commit, so 10,000 commits cost
 * about as much as the `git log` itself (bench/suites/history.ts measures it).
 */
import { BlobReader, git, gitStream } from './git.js';
import { readSnapshot, type SectionCache, type Snapshot } from './snapshot.js';
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
  // Newest first (no --reverse: git would walk everything before printing the first line).
  return ['log', '--raw', '--no-abbrev', '--no-renames', `--format=${FORMAT}`, rev, '--', `${dir}/`];
}

type RawChange = { env: string; path: string; before?: string; after?: string };
type RawCommit = Omit<EnvCommit, 'changes'> & { raw: RawChange[] };

function parseRecord(record: string, fileRe: RegExp): RawCommit | undefined {
  const [sha, parents, author, email, ct, subject, trailerBlock, rest] = record.split(FIELD);
  const raw: RawChange[] = [];
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
  if (raw.length === 0) return undefined;
  return {
    sha: sha!,
    parents: parents ? parents.split(' ').filter(Boolean) : [],
    author: author ?? '',
    email: email ?? '',
    time: Number(ct) * 1000,
    subject: subject ?? '',
    trailers: parseTrailers(trailerBlock ?? ''),
    raw,
  };
}

/**
 * Oldest first. An empty repository or one without environment commits gives []. The log is
 * streamed: every blob it names is requested from `git cat-file --batch` at once and parsed
 * when it arrives, so git log, cat-file and the YAML parsing overlap.
 */
export async function readHistory(root: string, options: ReadHistoryOptions = {}): Promise<EnvCommit[]> {
  const dir = options.dir ?? ENV_DIR;
  const rev = options.rev ?? 'HEAD';
  const hasHead = await git(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).then(
    () => true,
    () => false,
  );
  if (!hasHead) return [];
  const fileRe = new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/([^/]+)\\.ya?ml$`);
  const reader = new BlobReader(root);
  const cache: SectionCache = new Map();
  const snapshots = new Map<string, Promise<Snapshot>>();
  const snapshot = (blob: string | undefined): Promise<Snapshot> | undefined => {
    if (!blob) return undefined;
    let s = snapshots.get(blob);
    if (!s) {
      s = reader
        .read(blob)
        .then((text) =>
          text === undefined
            ? { ...readSnapshot(''), invalid: `blob ${blob} is missing` }
            : readSnapshot(text, cache),
        );
      snapshots.set(blob, s);
    }
    return s;
  };
  const commits: RawCommit[] = [];
  let pending = '';
  const take = (record: string) => {
    if (!record.trim()) return;
    const c = parseRecord(record, fileRe);
    if (!c) return;
    for (const r of c.raw) {
      snapshot(r.before);
      snapshot(r.after);
    }
    commits.push(c);
  };
  try {
    await gitStream(root, logArgs(rev, dir), (chunk) => {
      const records = (pending + chunk).split(RECORD);
      pending = records.pop() ?? '';
      for (const r of records) take(r);
      reader.flush();
    });
    take(pending);
    // --buffer holds the last answers until stdin closes: closing is what delivers them.
    const closed = reader.close();
    const out: EnvCommit[] = [];
    for (const { raw, ...c } of commits.reverse()) {
      const changes: FileChange[] = [];
      for (const r of raw) {
        changes.push({
          env: r.env,
          path: r.path,
          before: await snapshot(r.before),
          after: await snapshot(r.after),
          beforeBlob: r.before,
          afterBlob: r.after,
        });
      }
      out.push({ ...c, changes });
    }
    await closed;
    reader.check();
    return out;
  } finally {
    await reader.close();
  }
}
