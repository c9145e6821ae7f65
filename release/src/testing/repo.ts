/**
 * Real temporary git repositories for the release tests: each test builds the history it needs
 * (commits at chosen times, by chosen authors) and the commands run against it unchanged.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { git } from '../git/git.js';

/** A well-formed digest reference for `app`, distinct per `seed`. */
export function image(app: string, seed: string | number): string {
  return `ghcr.io/payday/${app}@sha256:${createHash('sha256').update(`${app}-${seed}`).digest('hex')}`;
}

export interface EnvSpec {
  promotesFrom?: string;
  soak?: string;
  freezes?: { start: string; end: string; reason: string }[];
  holds?: { app: string; image: string; reason: string; since: string }[];
  release: Record<string, { version: string; image: string; config?: Record<string, string> }>;
  replicas?: number;
}

/** An environment file in the shape of the brief, with a comment that edits must preserve. */
export function envYaml(name: string, spec: EnvSpec): string {
  const doc: Record<string, unknown> = {};
  if (spec.promotesFrom) doc.promotesFrom = spec.promotesFrom;
  if (spec.soak) doc.promotion = { soak: spec.soak };
  if (spec.freezes) doc.freezes = spec.freezes;
  if (spec.holds) doc.holds = spec.holds;
  doc.release = spec.release;
  doc.apps = { api: { replicas: spec.replicas ?? 2 } };
  return `# ${name}: kept by the release tests (this comment must survive edits)\n${stringify(doc)}`;
}

export class TestRepo {
  constructor(readonly dir: string) {}

  static async create(prefix = 'payday-release-'): Promise<TestRepo> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    await git(dir, ['init', '--quiet', '--initial-branch=main']);
    await git(dir, ['config', 'user.name', 'Rel Engineer']);
    await git(dir, ['config', 'user.email', 'rel@payday.example']);
    await git(dir, ['config', 'commit.gpgsign', 'false']);
    return new TestRepo(dir);
  }

  /** Git environment that pins author and committer dates (and optionally the author). */
  static dated(at: Date, author?: string): NodeJS.ProcessEnv {
    const date = at.toISOString();
    const env: NodeJS.ProcessEnv = { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
    if (author) {
      env.GIT_AUTHOR_NAME = author;
      env.GIT_AUTHOR_EMAIL = `${author.toLowerCase().replace(/\W+/g, '.')}@payday.example`;
    }
    return env;
  }

  git(args: string[], env?: NodeJS.ProcessEnv, input?: string): Promise<string> {
    return git(this.dir, args, { env, input });
  }

  async write(files: Record<string, string>): Promise<void> {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(this.dir, path)), { recursive: true });
      await writeFile(join(this.dir, path), content);
    }
  }

  /** Writes the files and commits them at `at`; returns the commit sha. */
  async commit(files: Record<string, string>, message: string, at: Date, author?: string): Promise<string> {
    await this.write(files);
    await this.git(['add', '--all', '--', ...Object.keys(files)]);
    await this.git(['commit', '--quiet', '--file=-'], TestRepo.dated(at, author), message);
    return this.head();
  }

  async head(): Promise<string> {
    return (await this.git(['rev-parse', 'HEAD'])).trim();
  }

  async status(): Promise<string> {
    return this.git(['status', '--porcelain', '--untracked-files=all']);
  }

  /** HEAD, status and every branch: what "left the repository unchanged" compares. */
  async fingerprint(): Promise<string> {
    const branches = await this.git(['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads']);
    return `${await this.head()}\n${await this.status()}\n${branches}`;
  }

  async show(rev: string, path: string): Promise<string> {
    return this.git(['show', `${rev}:${path}`]);
  }

  async message(rev = 'HEAD'): Promise<string> {
    return this.git(['log', '-1', '--format=%B', rev]);
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Hours after a fixed origin, so tests read as a story ("at hour 30 staging got 1.1.0"). */
export const T0 = Date.parse('2026-11-02T09:00:00Z');
export function hour(h: number): Date {
  return new Date(T0 + h * 3_600_000);
}
