/**
 * Test helpers: temporary repositories with real environment files (copied from environments/
 * or written inline), and tree hashing to prove nothing was written.
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../render/render.js';

export const DIGEST = {
  api: 'sha256:71067271b6a9dc899a29a1765f49e9ebd1d89ee6e3ed29f649980d9fc2a8d342',
  frontend: 'sha256:9eb634bb4973185b98e630a0f73230c3a3f9bec45a8ad8f9dd19ba1e1aa6db26',
  worker: 'sha256:2032afbc3a0922d6fd1d4b9347c08e8b39efdd825aef760c9be12c2cc00c14c3',
} as const;

/** A minimal valid environment file; `extra` is inserted before the release block. */
export function envYaml(extra = '', release = defaultRelease()): string {
  return `${extra}${extra && !extra.endsWith('\n') ? '\n' : ''}release:\n${release}`;
}

export function defaultRelease(): string {
  return [
    '  api:',
    '    version: 1.4.2',
    `    image: ghcr.io/payday/api@${DIGEST.api}`,
    '  frontend:',
    '    version: 2.1.0',
    `    image: ghcr.io/payday/frontend@${DIGEST.frontend}`,
    '  worker:',
    '    version: 1.9.3',
    `    image: ghcr.io/payday/worker@${DIGEST.worker}`,
    '',
  ].join('\n');
}

export interface TempRepo {
  root: string;
  envDir: string;
  gitops: string;
  cleanup(): Promise<void>;
}

/** A temporary repository root with `environments/` (copied from this repo unless `files` is given). */
export async function tempRepo(files?: Record<string, string>): Promise<TempRepo> {
  const root = await mkdtemp(join(tmpdir(), 'payday-render-'));
  const envDir = join(root, 'environments');
  await mkdir(envDir, { recursive: true });
  if (files) {
    for (const [name, text] of Object.entries(files)) await writeFile(join(envDir, name), text);
  } else {
    for (const f of await readdir(join(REPO_ROOT, 'environments'))) {
      if (f.endsWith('.yaml')) await cp(join(REPO_ROOT, 'environments', f), join(envDir, f));
    }
  }
  return {
    root,
    envDir,
    gitops: join(root, 'gitops'),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/** sha256 over every file path and content under `dir` (sorted); `empty` when missing. */
export async function hashTree(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (rel: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(p);
      else
        hash
          .update(`${p}\0`)
          .update(await readFile(join(dir, p)))
          .update('\0');
    }
  };
  await walk('');
  return hash.digest('hex');
}

/** Collects CLI output. */
export function captureIo(): {
  stdout: string;
  stderr: string;
  io: { stdout(s: string): void; stderr(s: string): void };
} {
  const out = { stdout: '', stderr: '' };
  return Object.assign(out, {
    io: {
      stdout: (s: string) => {
        out.stdout += s;
      },
      stderr: (s: string) => {
        out.stderr += s;
      },
    },
  });
}
