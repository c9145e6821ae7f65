/**
 * `git <args>` with its standard output spooled through a temporary file that is read while it
 * grows, for a long output that the main thread parses between other work.
 *
 * Why not a pipe: git writes faster than the reader parses in bursts, and a pipe holds only a
 * few hundred kilobytes; whenever the main thread is busy (parsing what cat-file answered, a
 * garbage-collection pause) the pipe fills and git stops until the reader drains it, so git's
 * own time and the reader's add up instead of overlapping. A file never blocks the writer: git
 * runs at its own pace and the reader catches up. The file is unlinked as soon as both ends are
 * open (POSIX keeps an unlinked file readable through open descriptors), so nothing is left
 * behind, and nothing is kept between runs; while it is read, the file takes the output's size
 * on disk (the log of 10,000 commits: about 9 MB). Without a writable temporary directory, the
 * pipe is used.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync, rmSync, unlinkSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { gitFailed, gitStream } from './git.js';

const CHUNK = 1 << 18;
// How long the reader waits when it has caught up with git before it looks again.
const POLL_MS = 1;

/**
 * Runs `git <args>` in `cwd` and hands its stdout to `onChunk` (UTF-8 text, split anywhere) as it
 * is written; resolves once git exited 0 and everything was handed over, rejects with a
 * GitError carrying stderr otherwise.
 */
export async function gitSpooled(
  cwd: string,
  args: string[],
  onChunk: (text: string) => void,
): Promise<void> {
  let dir: string;
  try {
    dir = await mkdtemp(join(tmpdir(), 'payday-git-'));
  } catch {
    // No writable temporary directory: the pipe still works, only slower.
    return gitStream(cwd, args, onChunk);
  }
  const file = join(dir, 'stdout');
  let read: number | undefined;
  let child: ReturnType<typeof spawn> | undefined;
  let outcome: { code: number | null } | { error: Error } | undefined;
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const write = openSync(file, 'w');
    try {
      read = openSync(file, 'r');
      child = spawn('git', args, {
        cwd,
        stdio: ['ignore', write, 'pipe'],
        env: { ...process.env, LC_ALL: 'C' },
      });
    } finally {
      closeSync(write); // the child holds its own copy
    }
    try {
      unlinkSync(file);
      remove();
    } catch {
      // A platform that cannot unlink an open file: removed once read.
    }
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    child.on('error', (error) => {
      outcome = { error };
    });
    child.on('close', (code) => {
      outcome ??= { code };
    });
    const fd = read;
    const buf = Buffer.allocUnsafe(CHUNK);
    const decoder = new StringDecoder('utf8');
    let pos = 0;
    for (;;) {
      // Read after looking at the outcome: once git has exited, a read of 0 bytes is the end.
      const done = outcome;
      const n = readSync(fd, buf, 0, CHUNK, pos);
      if (n > 0) {
        pos += n;
        onChunk(decoder.write(buf.subarray(0, n)));
        // Let other streams (cat-file's answers) be handled between chunks.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      if (done) {
        const rest = decoder.end();
        if (rest) onChunk(rest);
        if ('error' in done) throw done.error;
        if (done.code !== 0) throw gitFailed(args, stderr, done.code);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    // A consumer that threw leaves git nothing to write for.
    if (child && !outcome) child.kill();
    if (read !== undefined) closeSync(read);
    remove();
  }
}
