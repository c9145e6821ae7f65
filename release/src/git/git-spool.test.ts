import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestRepo } from '../testing/repo.js';
import { GitError, git } from './git.js';
import { gitSpooled } from './git-spool.js';

describe('gitSpooled', () => {
  let spool: string;
  let saved: string | undefined;
  beforeEach(async () => {
    // Its own temporary directory, so the test sees what gitSpooled leaves there.
    spool = await mkdtemp(join(tmpdir(), 'payday-spool-test-'));
    saved = process.env.TMPDIR;
    process.env.TMPDIR = spool;
  });
  // What gitSpooled left in the temporary directory (the test repositories are made there too).
  const spooled = async () => (await readdir(spool)).filter((f) => f.startsWith('payday-git-'));
  afterEach(async () => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    await rm(spool, { recursive: true, force: true });
  });

  it('hands over exactly what git prints, multi-byte characters across chunk borders included', async () => {
    const repo = await TestRepo.create();
    // About 1.3 MB, several read chunks, with two- and three-byte UTF-8 characters throughout.
    const text = Array.from({ length: 40_000 }, (_, i) => `ligne ${i}: café €${i}\n`).join('');
    await writeFile(join(repo.dir, 'big.txt'), text);
    await git(repo.dir, ['add', 'big.txt']);
    await git(repo.dir, ['commit', '--quiet', '-m', 'big']);
    const chunks: string[] = [];
    await gitSpooled(repo.dir, ['cat-file', '-p', 'HEAD:big.txt'], (c) => chunks.push(c));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(text);
    expect(await spooled()).toEqual([]);
  });

  it('rejects with git’s own error, and leaves no file behind', async () => {
    const repo = await TestRepo.create();
    await writeFile(join(repo.dir, 'a.txt'), 'a\n');
    await git(repo.dir, ['add', 'a.txt']);
    await git(repo.dir, ['commit', '--quiet', '-m', 'a']);
    const chunks: string[] = [];
    const failure = await gitSpooled(repo.dir, ['cat-file', '-p', 'HEAD:missing.txt'], (c) =>
      chunks.push(c),
    ).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(GitError);
    expect((failure as GitError).exitCode).toBe(128);
    expect((failure as GitError).message).toBe(
      "git cat-file -p HEAD:missing.txt failed: fatal: path 'missing.txt' does not exist in 'HEAD'",
    );
    expect(chunks.join('')).toBe('');
    expect(await spooled()).toEqual([]);
  });
  it("rejects with the consumer's error, and leaves no file behind", async () => {
    const repo = await TestRepo.create();
    await writeFile(join(repo.dir, 'big.txt'), 'x'.repeat(3_000_000));
    await git(repo.dir, ['add', 'big.txt']);
    await git(repo.dir, ['commit', '--quiet', '-m', 'big']);
    const failure = await gitSpooled(repo.dir, ['cat-file', '-p', 'HEAD:big.txt'], () => {
      throw new Error('parser gave up');
    }).catch((err: unknown) => err);
    expect((failure as Error).message).toBe('parser gave up');
    expect(await spooled()).toEqual([]);
  });

  it('falls back to a pipe when there is no temporary directory to write to', async () => {
    const repo = await TestRepo.create();
    await writeFile(join(repo.dir, 'a.txt'), 'a\n');
    await git(repo.dir, ['add', 'a.txt']);
    await git(repo.dir, ['commit', '--quiet', '-m', 'a']);
    process.env.TMPDIR = join(spool, 'does-not-exist');
    const chunks: string[] = [];
    await gitSpooled(repo.dir, ['cat-file', '-p', 'HEAD:a.txt'], (c) => chunks.push(c));
    expect(chunks.join('')).toBe('a\n');
  });
});
