/**
 * The cluster rehearsal's modules (and the policy gate the render command runs before it) as one
 * cached bundle, so that a render process loads one script instead of about 330 modules (the
 * rehearsal, the policy engine, the apps' metric definitions, cel-js, the PromQL parser, yaml,
 * zod…), about 140 of them TypeScript that tsx would transform and hand over one by one through its
 * loader thread (bench/README.md "Render: the rehearsal's overhead", docs/rehearsal.md "Cost").
 *
 * The bundle lives in the render's validator cache (validate/compile.ts: `PAYDAY_RENDER_CACHE`,
 * else `node_modules/.cache/payday-render/`) and is loaded the same way as a validator: a
 * CommonJS file run through `vm.Script` with V8's code cache beside it, written after its first
 * run. Its name hashes the bytes of every file that went into it (esbuild's metafile lists them,
 * kept in `rehearsal-bundle.json` with their stat, so that an unchanged file is not read again),
 * the package manifests and tsconfig files that decide how imports resolve, the repository's
 * path, this module's version, esbuild's and Node's major version: a changed source
 * file names another bundle, which is built (esbuild, about half a second) and used instead, so a
 * stale bundle can never run. A new file can only enter the graph through an import added to a
 * file already in it, which changes that file's bytes.
 *
 * `import.meta.dirname` and `import.meta.url` are replaced by each source file's own location
 * (the policy engine finds `policies/` through them), as they would read unbundled.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadCachedScript } from '../validate/compile.js';

/** What the render command uses of the rehearsal (rehearsal-entry.ts). */
export type RehearsalModule = typeof import('./rehearsal-entry.js');

/** Bump when the build options below change what is bundled. */
const BUNDLE_VERSION = '2';
/**
 * Packages the render process has loaded already (the environment schemas use zod, the writer
 * yaml): left out of the bundle and handed to it as the render's own instances, so a process
 * neither compiles nor runs a second copy (zod and yaml were about 1 MB of the bundle's 1.8 MB).
 * Only where an import resolves to the same package folder as this process's (the build checks
 * it; a nested other version is bundled). The bundle's hash covers package-lock.json, which pins
 * their versions. Limits: only the bare names are shared (a subpath import such as `zod/v4`
 * would be bundled as a second copy; none is used), and the bundle gets the packages' ES module
 * namespaces, which carry every named export the rehearsal imports but no `default`.
 */
const SHARED_PACKAGES = ['zod', 'yaml'] as const;
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
const ENTRY = join(REPO_ROOT, 'generators/src/render/rehearsal-entry.ts');
const MANIFEST = 'rehearsal-bundle.json';
/** The bundle targets the running Node's syntax. */
const NODE_MAJOR = process.versions.node.split('.')[0]!;

/** Where the validators are cached (the same default and variable as validate/validate.ts). */
export function defaultCacheDir(): string {
  return process.env.PAYDAY_RENDER_CACHE ?? join(REPO_ROOT, 'node_modules', '.cache', 'payday-render');
}

/** A file that went into the bundle: its path (relative to the repository root), stat and digest. */
interface InputState {
  file: string;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  /** sha256 of its bytes, hex. */
  sha256: string;
}

interface Manifest {
  /** The bundle's inputs and the files that resolve them, as last hashed. */
  inputs: InputState[];
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
function resolutionFiles(): string[] {
  const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces?: string[] };
  const files = ['package.json', 'package-lock.json', 'tsconfig.json'];
  for (const ws of root.workspaces ?? []) files.push(`${ws}/package.json`, `${ws}/tsconfig.json`);
  return files.filter((f) => existsSync(join(REPO_ROOT, f)));
}

/**
 * A file's state, hashing its bytes only when its size, mtime or ctime differ from what `known`
 * recorded. Like git's index, the stat stands in for the bytes between runs: any write changes
 * the ctime, which no tool can set back (`cp -p` and `touch -d` restore only the mtime).
 */
function inputState(
  file: string,
  known: ReadonlyMap<string, InputState> | undefined,
  bytes?: Buffer,
): InputState {
  const abs = resolve(REPO_ROOT, file);
  const st = statSync(abs);
  const k = known?.get(file);
  if (!bytes && k && k.size === st.size && k.mtimeMs === st.mtimeMs && k.ctimeMs === st.ctimeMs) return k;
  const sha256 = createHash('sha256')
    .update(bytes ?? readFileSync(abs))
    .digest('hex');
  return { file, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, sha256 };
}

/**
 * The current state of the bundle's inputs and of the files that resolve them (`known`: what an
 * earlier run recorded, so unchanged files are not read again). Throws when an input is gone.
 */
export function currentInputs(
  inputs: readonly string[],
  known?: ReadonlyMap<string, InputState>,
): InputState[] {
  return [...new Set([...inputs, ...resolutionFiles()])].map((f) => inputState(f, known));
}

/** The bundle's file name: a hash of every input's bytes, the versions and the repository's path. */
export function bundleFile(cacheDir: string, inputs: readonly InputState[], esbuildVersion: string): string {
  const hash = createHash('sha256').update(
    `${BUNDLE_VERSION}\0${esbuildVersion}\0${NODE_MAJOR}\0${REPO_ROOT}\0`,
  );
  for (const i of inputs) hash.update(`${i.file}\0${i.sha256}\0`);
  return join(cacheDir, `rehearsal-${hash.digest('hex').slice(0, 32)}.cjs`);
}

async function readManifest(cacheDir: string): Promise<Manifest | undefined> {
  try {
    const m = JSON.parse(await readFile(join(cacheDir, MANIFEST), 'utf8')) as Manifest;
    const valid = (i: InputState) =>
      typeof i?.file === 'string' &&
      typeof i.sha256 === 'string' &&
      [i.size, i.mtimeMs, i.ctimeMs].every((n) => typeof n === 'number');
    return Array.isArray(m.inputs) && m.inputs.every(valid) ? m : undefined;
  } catch {
    return undefined;
  }
}

async function writeManifest(cacheDir: string, inputs: InputState[]): Promise<void> {
  await writeAtomic(join(cacheDir, MANIFEST), `${JSON.stringify({ inputs } satisfies Manifest)}\n`);
}

/** Write then rename: a concurrent render never reads half a file. */
async function writeAtomic(file: string, data: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

let sharedDirs: Map<string, string> | undefined;
/**
 * Whether an import of `name` that esbuild resolved to `resolved` is the package this process
 * shares with the bundle: the same folder (…/node_modules/zod/) as this module resolves it.
 */
export function isSharedImport(name: string, resolved: string): boolean {
  sharedDirs ??= new Map(
    SHARED_PACKAGES.map((p) => {
      const entry = createRequire(import.meta.url).resolve(p);
      const at = entry.lastIndexOf(`/node_modules/${p}/`);
      return [p, at < 0 ? '' : entry.slice(0, at + `/node_modules/${p}/`.length)];
    }),
  );
  const dir = sharedDirs.get(name);
  return !!dir && resolved.startsWith(dir);
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
  // The repository's sources are hashed from the very bytes compiled (stat taken before the read:
  // a file written meanwhile shows a newer ctime next time and is hashed again).
  const compiled = new Map<string, InputState>();
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${NODE_MAJOR}`,
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        // A shared package stays out only where it resolves to the package folder this process
        // imports it from; a workspace pinning another version (a nested node_modules) gets its
        // own copy.
        name: 'shared-packages',
        setup(b) {
          b.onResolve({ filter: new RegExp(`^(${SHARED_PACKAGES.join('|')})$`) }, async (args) => {
            if (args.pluginData === 'shared-packages') return undefined;
            const found = await b.resolve(args.path, {
              kind: args.kind,
              importer: args.importer,
              resolveDir: args.resolveDir,
              pluginData: 'shared-packages',
            });
            if (found.errors.length > 0) return { errors: found.errors };
            return isSharedImport(args.path, found.path)
              ? { path: args.path, external: true }
              : { path: found.path };
          });
        },
      },
      {
        name: 'source-location',
        setup(b) {
          b.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
            if (args.path.includes('/node_modules/')) return undefined;
            const file = relative(REPO_ROOT, args.path);
            const st = statSync(args.path);
            const bytes = await readFile(args.path);
            compiled.set(file, {
              ...inputState(file, undefined, bytes),
              size: st.size,
              mtimeMs: st.mtimeMs,
              ctimeMs: st.ctimeMs,
            });
            let contents = bytes.toString('utf8');
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
  const states = currentInputs(inputs, compiled).map((i) => compiled.get(i.file) ?? i);
  const file = bundleFile(cacheDir, states, version);
  await mkdir(cacheDir, { recursive: true });
  await writeAtomic(file, output.text);
  await writeManifest(cacheDir, states);
  // Bundles of earlier sources (and their code caches and queries) are never used again.
  const own = basename(file);
  for (const f of await readdir(cacheDir))
    if (/^rehearsal-[0-9a-f]{32}\.cjs/.test(f) && !f.startsWith(own))
      await rm(join(cacheDir, f), { force: true });
  return file;
}

/**
 * The bundle's `require`: the shared packages are the instances this process imported (the
 * same ES modules the render uses, already evaluated), anything else is required as usual.
 */
async function sharedRequire(file: string): Promise<NodeJS.Require> {
  const require = createRequire(file);
  const [zod, yaml] = await Promise.all([import('zod'), import('yaml')]);
  const shared: Record<(typeof SHARED_PACKAGES)[number], unknown> = { zod, yaml };
  return Object.assign(
    (id: string) => (Object.hasOwn(shared, id) ? shared[id as keyof typeof shared] : require(id)),
    require,
  );
}

/**
 * The rehearsal from its cached bundle, built first when the cache has none for the current
 * sources. The PromQL queries parsed by earlier processes are kept beside the bundle
 * (`<bundle>.promql.json`): parsing is a function of the query and the bundled parser only, and
 * the bundle's name hashes both, so they are handed to the metrics check before it runs.
 */
export async function loadRehearsalBundle(
  cacheDir: string,
  options: { onBuild?: (message: string) => void } = {},
): Promise<LoadedBundle> {
  const version = await esbuildVersion();
  const manifest = await readManifest(cacheDir);
  let file: string | undefined;
  if (manifest) {
    const known = new Map(manifest.inputs.map((i) => [i.file, i]));
    try {
      const states = currentInputs(
        manifest.inputs.map((i) => i.file),
        known,
      );
      file = bundleFile(cacheDir, states, version);
      // Files touched but not changed (a checkout): their new stat spares the next run a read.
      if (existsSync(file) && states.some((s) => s !== known.get(s.file)))
        await writeManifest(cacheDir, states).catch(() => {});
    } catch {
      file = undefined; // an input is gone: its importer changed, so build again
    }
  }
  let built = false;
  if (!file || !existsSync(file)) {
    // Half a second or more, once per change to the rehearsal's sources: said, not left silent.
    options.onBuild?.(
      `building the rehearsal bundle into ${cacheDir.startsWith(`${REPO_ROOT}/`) ? relative(REPO_ROOT, cacheDir) : cacheDir} (once per source change)`,
    );
    file = await build(cacheDir, version);
    built = true;
  }
  const { exports, writeCodeCache } = loadCachedScript(file, await sharedRequire(file));
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
