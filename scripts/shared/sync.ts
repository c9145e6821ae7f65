import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** One pinned file: where it comes from (a tag or commit, never a branch) and its sha256. */
export interface PinnedFile {
  url: string;
  sha256: string;
}

export interface Manifest {
  files: Record<string, PinnedFile>;
}

export interface SyncResult {
  present: string[];
  fetched: string[];
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function localHash(path: string): Promise<string | undefined> {
  try {
    return sha256(await readFile(path));
  } catch {
    return undefined;
  }
}

/**
 * Makes `dest` (the `../shared` folder) hold every pinned file, byte for byte: a file already
 * there with the right sha256 is left alone, anything else is downloaded, checked and written
 * atomically. A download whose sha256 differs fails closed and writes nothing.
 */
export async function syncShared(
  manifest: Manifest,
  dest: string,
  options: { fetch?: typeof fetch; log?: (line: string) => void } = {},
): Promise<SyncResult> {
  const get = options.fetch ?? fetch;
  const log = options.log ?? (() => {});
  const result: SyncResult = { present: [], fetched: [] };
  for (const [rel, pin] of Object.entries(manifest.files)) {
    const target = join(dest, rel);
    if ((await localHash(target)) === pin.sha256) {
      result.present.push(rel);
      continue;
    }
    log(`fetching ${rel}`);
    const response = await get(pin.url);
    if (!response.ok) throw new Error(`${rel}: ${pin.url} answered ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const actual = sha256(bytes);
    if (actual !== pin.sha256) {
      throw new Error(`${rel}: sha256 ${actual} does not match the pinned ${pin.sha256} (${pin.url})`);
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(`${target}.part`, bytes);
    await rename(`${target}.part`, target);
    result.fetched.push(rel);
  }
  return result;
}
