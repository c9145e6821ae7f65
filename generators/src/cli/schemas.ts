/**
 * `npm run schemas [-- --from DIR] [--check]`
 *
 * Regenerates the committed schema bundle (`generators/schemas/`) from the pinned upstream files
 * listed in `scripts/shared/manifest.json`, read from DIR (default: `../shared` beside the
 * repository; `npx tsx scripts/shared/fetch.ts DIR` downloads them, each checked by sha256).
 * Only needed when a pinned schema changes: render, the gate and the tests read the bundle.
 *   --check   build in memory and exit 1 when the committed bundle differs
 * Exit codes: 0 ok, 1 stale (--check), 2 a source is missing or does not match its sha256.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildBundle, type PinnedSource } from '../validate/bundle-build.js';
import { DEFAULT_BUNDLE_DIR } from '../validate/schema-bundle.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const MANIFEST = join(REPO_ROOT, 'scripts', 'shared', 'manifest.json');

export async function readManifest(file = MANIFEST): Promise<Record<string, PinnedSource>> {
  return (JSON.parse(await readFile(file, 'utf8')) as { files: Record<string, PinnedSource> }).files;
}

export async function main(
  argv: string[],
  io: { stdout: (s: string) => void; stderr: (s: string) => void },
  { bundleDir = DEFAULT_BUNDLE_DIR, manifest = MANIFEST }: { bundleDir?: string; manifest?: string } = {},
): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { from: { type: 'string' }, check: { type: 'boolean', default: false } },
  });
  const from = resolve(values.from ?? join(REPO_ROOT, '..', 'shared'));
  let built: Awaited<ReturnType<typeof buildBundle>>;
  try {
    built = await buildBundle(from, await readManifest(manifest));
  } catch (err) {
    io.stderr(`schemas: ${(err as Error).message}; nothing was written\n`);
    return 2;
  }
  const files: [string, string][] = [
    ['schemas.json', built.schemasText],
    ['index.json', built.indexText],
  ];
  const what = `${Object.keys(built.index.sources).length} sources, ${Object.values(built.index.core).reduce((n, k) => n + Object.keys(k).length, 0)} core kinds, ${Object.keys(built.index.crds).length} CRD kinds, ${(built.index.schemas.bytes / 1e6).toFixed(1)} MB`;
  if (values.check) {
    const stale: string[] = [];
    for (const [name, text] of files) {
      const current = await readFile(join(bundleDir, name), 'utf8').catch(() => undefined);
      if (current !== text) stale.push(name);
    }
    if (stale.length) {
      io.stderr(
        `schemas --check: ${stale.join(', ')} differ from what ${from} builds; run \`npm run schemas\`\n`,
      );
      return 1;
    }
    io.stdout(`schemas --check: ${bundleDir} is up to date (${what})\n`);
    return 0;
  }
  for (const [name, text] of files) {
    const target = join(bundleDir, name);
    await writeFile(`${target}.tmp`, text);
    await rename(`${target}.tmp`, target);
  }
  io.stdout(`schemas: wrote ${bundleDir} (${what})\n`);
  return 0;
}

if (process.argv[1]?.endsWith('/cli/schemas.ts')) {
  main(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  }).then((code) => {
    process.exitCode = code;
  });
}
