/**
 * Thin git plumbing for the release commands. Every call is a plain `git` child process with
 * an argument vector (no shell), so paths and messages never need quoting. Reading many file
 * versions goes through one `git cat-file --batch` process (BlobReader), not one per file.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export class GitError extends Error {
  constructor(
    message: string,
    readonly args: string[],
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

/** The error of a git command that exited with `code`, its stderr in the message. */
export function gitFailed(args: string[], stderr: string, code: number | null): GitError {
  return new GitError(`git ${args.join(' ')} failed: ${stderr.trim()}`, args, stderr, code);
}

export interface GitOptions {
  /** Text written to git's stdin. */
  input?: string;
  /** Extra environment (e.g. GIT_AUTHOR_DATE in tests). */
  env?: NodeJS.ProcessEnv;
}

/** Runs `git <args>` in `cwd` and resolves with stdout; rejects with a GitError carrying stderr. */
export function git(cwd: string, args: string[], options: GitOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      {
        cwd,
        encoding: 'utf8',
        maxBuffer: 1024 * 1024 * 1024,
        env: { ...process.env, ...options.env, LC_ALL: 'C' },
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = typeof error.code === 'number' ? error.code : null;
          reject(
            new GitError(
              `git ${args.join(' ')} failed: ${stderr.trim() || error.message}`,
              args,
              stderr,
              code,
            ),
          );
        } else resolve(stdout);
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

export interface RepoState {
  root: string;
  /** Current branch name, or undefined on a detached HEAD. */
  branch: string | undefined;
  head: string | undefined;
  /** An operation git has in progress (merge, rebase, cherry-pick, revert, bisect). */
  inProgress: string | undefined;
  /** `git status --porcelain` lines that block a release command. */
  dirty: string[];
}

/** Finds the top of the work tree that contains `cwd`. */
export async function repoRoot(cwd: string): Promise<string> {
  try {
    return (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
  } catch (err) {
    if (err instanceof GitError) {
      throw new Error(`${cwd} is not inside a git repository: release commands work on a git checkout.`);
    }
    throw err;
  }
}

/**
 * Reads what a release command must know before touching anything. "Dirty" counts staged or
 * unstaged changes to tracked files anywhere, and untracked files under the folders a release
 * writes (`watch`), because those would be swept into the release commit or overwritten.
 */
export async function repoState(root: string, watch: string[]): Promise<RepoState> {
  const gitDir = (await git(root, ['rev-parse', '--absolute-git-dir'])).trim();
  const markers: [string, string][] = [
    ['MERGE_HEAD', 'a merge'],
    ['rebase-merge', 'a rebase'],
    ['rebase-apply', 'a rebase or am'],
    ['CHERRY_PICK_HEAD', 'a cherry-pick'],
    ['REVERT_HEAD', 'a revert'],
    ['BISECT_LOG', 'a bisect'],
  ];
  const inProgress = markers.find(([file]) => existsSync(join(gitDir, file)))?.[1];
  const branchOut = await git(root, ['symbolic-ref', '--quiet', '--short', 'HEAD']).catch(() => '');
  const head = (await git(root, ['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => '')).trim();
  const tracked = await git(root, ['status', '--porcelain', '--untracked-files=no']);
  const untracked = await git(root, ['status', '--porcelain', '--untracked-files=all', '--', ...watch]);
  const dirty = [...tracked.split('\n'), ...untracked.split('\n').filter((l) => l.startsWith('??'))].filter(
    (l) => l.trim() !== '',
  );
  return {
    root,
    branch: branchOut.trim() || undefined,
    head: head || undefined,
    inProgress,
    dirty: [...new Set(dirty)],
  };
}

const NOOP = () => {};

/**
 * A long-lived `git cat-file --batch` that answers requests while they are still being made,
 * so blob reading overlaps with the `git log` that names the blobs. Replies arrive in request
 * order (git-cat-file(1)), so a FIFO of callbacks is enough. Callbacks, not a promise per blob:
 * history requests ten thousand of them, and each answer is used once, synchronously.
 */
export class BlobReader {
  private readonly child;
  private readonly waiting: ((text: string | undefined) => void)[] = [];
  private next = 0;
  private buf: Buffer = Buffer.alloc(0);
  private failure: Error | undefined;

  constructor(cwd: string) {
    // --buffer: git flushes its output when its buffer fills rather than after every object,
    // which turns 10,000 tiny pipe writes (and process wake-ups) into a few hundred.
    this.child = spawn('git', ['cat-file', '--batch', '--buffer'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    this.child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    this.child.stdout.on('data', (c: Buffer) => this.consume(c));
    const fail = (err: Error) => {
      this.failure = err;
      const rest = this.waiting.splice(0);
      for (let i = this.next; i < rest.length; i++) rest[i]!(undefined);
      this.next = 0;
    };
    this.child.on('error', fail);
    this.child.on('close', (code) => {
      if (code !== 0 && code !== null)
        fail(new GitError(`git cat-file --batch failed: ${stderr.trim()}`, ['cat-file'], stderr, code));
    });
  }

  private consume(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    let pos = 0;
    for (;;) {
      const nl = this.buf.indexOf(10, pos);
      if (nl < 0) break;
      // "<sha> blob <size>", or "<name> missing" / "<name> ambiguous" (two fields, or more
      // when the name has spaces).
      const header = this.buf.toString('latin1', pos, nl);
      const s1 = header.indexOf(' ');
      const s2 = s1 < 0 ? -1 : header.indexOf(' ', s1 + 1);
      if (s2 < 0 || header.indexOf(' ', s2 + 1) >= 0) {
        pos = nl + 1;
        this.answer(undefined);
        continue;
      }
      const size = Number(header.slice(s2 + 1));
      if (this.buf.length < nl + 1 + size + 1) break;
      const text = this.buf.toString('utf8', nl + 1, nl + 1 + size);
      pos = nl + 1 + size + 1;
      this.answer(text);
    }
    this.buf = pos >= this.buf.length ? Buffer.alloc(0) : this.buf.subarray(pos);
  }

  // The FIFO as an array and a cursor: shift() on a long array copies it.
  private answer(text: string | undefined): void {
    const cb = this.waiting[this.next];
    if (!cb) return;
    this.waiting[this.next++] = NOOP;
    if (this.next === this.waiting.length) {
      this.waiting.length = 0;
      this.next = 0;
    }
    cb(text);
  }

  private queued = '';

  /**
   * Asks for the content of `name` (a blob sha or `<rev>:<path>`); `onText` gets it, or undefined
   * when it does not exist or git failed (see check()). Requests are sent by `flush()` (or
   * `close()`): with --buffer, git answers when it has them.
   */
  request(name: string, onText: (text: string | undefined) => void): void {
    if (this.failure) {
      onText(undefined);
      return;
    }
    this.waiting.push(onText);
    this.queued += `${name}\n`;
  }

  /** The content of `name`, or undefined when it does not exist (a promise per call). */
  read(name: string): Promise<string | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve) => this.request(name, resolve));
  }

  /**
   * Sends the queued requests in one write (only once there are enough of them, unless forced).
   * About 200 names (8 KB): enough to keep writes few, and the first answers come while the
   * log is still being read rather than after its first 1,600 blobs (measured: bench/README.md).
   */
  flush(force = false): void {
    if (!this.queued || (!force && this.queued.length < 1 << 13)) return;
    this.child.stdin.write(this.queued);
    this.queued = '';
  }

  /** Sends what is queued, lets git answer everything, and waits for it to exit. */
  close(): Promise<void> {
    this.flush(true);
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.on('close', () => resolve());
      this.child.stdin.end();
    });
  }

  /** Rejects if the process failed (call after the last read resolved). */
  check(): void {
    if (this.failure) throw this.failure;
  }
}

/** Runs `git <args>` and hands stdout to `onChunk` as it arrives (for outputs too big to wait for). */
export function gitStream(cwd: string, args: string[], onChunk: (text: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => onChunk(c));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(gitFailed(args, stderr, code));
    });
  });
}
