/**
 * The cluster rehearsal's modules as one cached bundle, so that a render process loads one
 * script instead of about 330 modules (the rehearsal, the policy engine, the apps' metric
 * definitions, cel-js, the PromQL parser, yaml, zod…), about 140 of them TypeScript that tsx would
 * transform and hand over one by one through its loader thread (bench/README.md "Render: the
 * rehearsal's overhead", docs/rehearsal.md "Cost").
 *
 * The bundle lives in the render's validator cache (validate/compile.ts: `PAYDAY_RENDER_CACHE`,
 * else `node_modules/.cache/payday-render/`) and is loaded the same way as a validator: a
 * CommonJS file run through `vm.Script` with V8's code cache beside it, written after its first
 * run. Its name hashes the bytes of every file that went into it (esbuild's metafile lists them,
 * kept in `rehearsal-bundle.json`), the package manifests and tsconfig files that decide how
 * imports resolve, the repository's path, this module's version and esbuild's: a changed source
 * file names another bundle, which is built (esbuild, about half a second) and used instead, so a
 * stale bundle can never run. A new file can only enter the graph through an import added to a
 * file already in it, which changes that file's bytes.
 *
 * `import.meta.dirname` and `import.meta.url` are replaced by each source file's own location
 * (the policy engine finds `policies/` through them), as they would read unbundled.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fileHash, loadCachedScript } from '../validate/compile.js';

/** What the render command uses of the rehearsal (rehearsal-entry.ts). */
export type RehearsalModule = typeof import('./rehearsal-entry.js');

/** Bump when the build options below change what is bundled. */
const BUNDLE_VERSION = '1';
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
const ENTRY = join(REPO_ROOT, 'generators/src/render/rehearsal-entry.ts');
const MANIFEST = 'rehearsal-bundle.json';

/** Where the validators are cached (the same default and variable as validate/validate.ts). */
export function defaultCacheDir(): string {
  return process.env.PAYDAY_RENDER_CACHE ?? join(REPO_ROOT, 'node_modules', '.cache', 'payday-render');
}

interface Manifest {
  /** Files bundled, relative to the repository root. */
  inputs: string[];
}

/** The bundle, and what to keep once the rehearsal has run (see `loadRehearsalBundle`). */
export interface LoadedBundle {
  module: RehearsalModule;
  /**
   * Call after the rehearsal has run: writes V8's code cache for the bundle when there was none
   * (it then holds the functions compiled by the run), and the PromQL queries parsed by this
   * process when they are not all in the cache yet. Absent when there is nothing to write.
   */
  afterRun?: () => Promise<void>;
  /** Whether this call built the bundle (the cache had none for these sources). */
  built: boolean;
}

/** Files beside the inputs that decide how esbuild resolves and transforms them. */
async function resolutionFiles(): Promise<string[]> {
  const root = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    workspaces?: string[];
  };
  const files = ['package.json', 'package-lock.json', 'tsconfig.json'];
  for (const ws of root.workspaces ?? []) files.push(`${ws}/package.json`, `${ws}/tsconfig.json`);
  return files.filter((f) => existsSync(join(REPO_ROOT, f)));
}

/** The bundle's file name for these inputs: a hash of every input's bytes and what resolves them. */
export async function bundleFile(
  cacheDir: string,
  inputs: readonly string[],
  esbuildVersion: string,
): Promise<string> {
  const files = [...inputs, ...(await resolutionFiles())];
  const digests = await Promise.all(files.map((f) => fileHash(resolve(REPO_ROOT, f))));
  const hash = createHash('sha256').update(`${BUNDLE_VERSION}\0${esbuildVersion}\0${REPO_ROOT}\0`);
  files.forEach((f, i) => {
    hash.update(`${f}\0`);
    hash.update(digests[i]!);
  });
  return join(cacheDir, `rehearsal-${hash.digest('hex').slice(0, 32)}.cjs`);
}

async function readManifest(cacheDir: string): Promise<Manifest | undefined> {
  try {
    const m = JSON.parse(await readFile(join(cacheDir, MANIFEST), 'utf8')) as Manifest;
    return Array.isArray(m.inputs) && m.inputs.every((i) => typeof i === 'string') ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Write then rename: a concurrent render never reads half a file. */
async function writeAtomic(file: string, data: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

/** esbuild's version, read from its package.json (importing esbuild itself is needed only to build). */
async function esbuildVersion(): Promise<string> {
  const require = createRequire(import.meta.url);
  const pkg = JSON.parse(await readFile(require.resolve('esbuild/package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Bundles rehearsal-entry.ts with everything it imports into `cacheDir`; returns the file. */
async function build(cacheDir: string, version: string): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'source-location',
        setup(b) {
          b.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
            if (args.path.includes('/node_modules/')) return undefined;
            let contents = await readFile(args.path, 'utf8');
            if (contents.includes('import.meta.'))
              contents = contents
                .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
                .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
            return { contents, loader: 'ts' };
          });
        },
      },
    ],
  });
  const inputs = Object.keys(result.metafile.inputs).map((f) => (isAbsolute(f) ? relative(REPO_ROOT, f) : f));
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild wrote no rehearsal bundle');
  const file = await bundleFile(cacheDir, inputs, version);
  await mkdir(cacheDir, { recursive: true });
  await writeAtomic(file, output.text);
  await writeAtomic(join(cacheDir, MANIFEST), `${JSON.stringify({ inputs } satisfies Manifest)}\n`);
  // Bundles of earlier sources (and their code caches and queries) are never used again.
  const own = basename(file);
  for (const f of await readdir(cacheDir))
    if (/^rehearsal-[0-9a-f]{32}\.cjs/.test(f) && !f.startsWith(own))
      await rm(join(cacheDir, f), { force: true });
  return file;
}

/**
 * The rehearsal from its cached bundle, built first when the cache has none for the current
 * sources. The PromQL queries parsed by earlier processes are kept beside the bundle
 * (`<bundle>.promql.json`): parsing is a function of the query and the bundled parser only, and
 * the bundle's name hashes both, so they are handed to the metrics check before it runs.
 */
export async function loadRehearsalBundle(cacheDir: string): Promise<LoadedBundle> {
  const version = await esbuildVersion();
  const manifest = await readManifest(cacheDir);
  let file = manifest
    ? await bundleFile(cacheDir, manifest.inputs, version).catch(() => undefined)
    : undefined;
  let built = false;
  if (!file || !existsSync(file)) {
    file = await build(cacheDir, version);
    built = true;
  }
  const { exports, writeCodeCache } = loadCachedScript(file, createRequire(file));
  const module = exports as RehearsalModule;
  const queriesFile = `${file}.promql.json`;
  let remembered = 0;
  try {
    remembered = module.rememberParsedQueries(JSON.parse(await readFile(queriesFile, 'utf8')));
  } catch {
    // None yet (or unreadable): the queries are parsed, and written after the run.
  }
  const afterRun = async () => {
    const queries = module.parsedQueries();
    await Promise.all([
      writeCodeCache?.(),
      queries.length > remembered ? writeAtomic(queriesFile, JSON.stringify(queries)) : undefined,
    ]);
  };
  return { module, built, afterRun };
}
