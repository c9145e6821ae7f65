/**
 * Compiled validators, lazily and cached. Compiling a CRD schema with ajv is slow (the
 * ApplicationSet schema alone takes ~2 s on a 2-core machine; all CRDs 6–10 s), so:
 *  - only the kinds actually rendered are compiled, on first use;
 *  - each compiled validator is written as ajv "standalone" code (plain JS) to
 *    `node_modules/.cache/payday-render/`, named by a hash of the schema bundle's bytes, the
 *    schema key, this module's transform version and the ajv version; the next run `require`s it;
 *  - that file is loaded through `vm.Script` with V8's code cache (`createCachedData` after the
 *    validator has run, so the cache holds the compiled functions, not just the parse): loading
 *    the 8 MB ApplicationSet validator drops from ~1 s (parse + lazy compile) to ~0.1 s;
 *  - within a process, validators are memoised.
 * A regenerated bundle changes the hash, so a stale cache can never be used.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import type { Ajv, ErrorObject } from 'ajv';
import { readBundleSchemas, schemasFile } from './schema-bundle.js';
import { strictSchema } from './strict-schema.js';

/** Bump when strict-schema.ts or the schema assembly below changes what is generated. */
const TRANSFORM_VERSION = '4';
const AJV_VERSION = '8.20.0';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

type StandaloneCode = (ajv: Ajv, refsOrFunc?: unknown) => string;

/** ajv itself is needed only on a cache miss: a warm render never loads it. */
async function loadAjv(): Promise<{ Ajv: typeof Ajv; standaloneCode: StandaloneCode }> {
  const [{ Ajv: AjvClass }, standaloneModule] = await Promise.all([
    import('ajv'),
    import('ajv/dist/standalone/index.js'),
  ]);
  // ajv is CommonJS: under Node's ESM interop the function may sit on `.default` once more.
  const m = standaloneModule as unknown as { default: StandaloneCode | { default: StandaloneCode } };
  const standaloneCode = typeof m.default === 'function' ? m.default : m.default.default;
  return { Ajv: AjvClass, standaloneCode };
}

export interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const REF_PREFIX = '#/components/schemas/';

/** The definitions reachable from `root` through `$ref`, rewritten to `#/definitions/…`. */
function reachable(defs: Record<string, Record<string, unknown>>, roots: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const queue = [...roots];
  while (queue.length) {
    const name = queue.pop()!;
    if (name in out) continue;
    const def = defs[name];
    if (!def) throw new Error(`schema ${name} not found`);
    out[name] = strictSchema(def, (ref) => {
      const target = ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : ref;
      if (!(target in out)) queue.push(target);
      return `#/definitions/${target}`;
    });
  }
  return out;
}

export interface SchemaRequest {
  /** Stable id of the validator, e.g. `core:apps/v1/Deployment` or `crd:argoproj.io/v1alpha1/Rollout`. */
  key: string;
  /** Files the schema is built from (their bytes are hashed into the cache key). */
  files: string[];
  /** Builds the JSON Schema (only on a cache miss). */
  build(): Promise<object>;
}

/** The schema of a core kind: the definition carrying its group-version-kind in the bundle. */
export function coreSchemaRequest(
  bundleDir: string,
  apiVersion: string,
  kind: string,
  definition: string,
): SchemaRequest {
  return {
    key: `core:${apiVersion}/${kind}`,
    files: [schemasFile(bundleDir)],
    async build() {
      const { definitions } = await readBundleSchemas(bundleDir);
      return { $ref: `#/definitions/${definition}`, definitions: reachable(definitions, [definition]) };
    },
  };
}

/** A named core definition (e.g. the PodTemplateSpec inside a Rollout). */
export function coreDefinitionRequest(bundleDir: string, definition: string): SchemaRequest {
  return {
    key: `core-def:${definition}`,
    files: [schemasFile(bundleDir)],
    async build() {
      const { definitions } = await readBundleSchemas(bundleDir);
      return { $ref: `#/definitions/${definition}`, definitions: reachable(definitions, [definition]) };
    },
  };
}

/** The schema of a custom kind: the CRD's `openAPIV3Schema` for that version, metadata as ObjectMeta. */
export function crdSchemaRequest(
  bundleDir: string,
  group: string,
  version: string,
  kind: string,
): SchemaRequest {
  const key = `${group}/${version}/${kind}`;
  return {
    key: `crd:${key}`,
    files: [schemasFile(bundleDir)],
    async build() {
      const { definitions, crds } = await readBundleSchemas(bundleDir);
      const schema = crds[key];
      if (!schema) throw new Error(`${kind} CRD has no schema for version ${version}`);
      const root = strictSchema(schema) as { properties?: Record<string, unknown> };
      // CRD schemas say only `metadata: {type: object}`; the API server validates ObjectMeta.
      root.properties = { ...root.properties, metadata: { $ref: `#/definitions/${OBJECT_META}` } };
      return { ...root, definitions: reachable(definitions, [OBJECT_META]) };
    },
  };
}

const LOCK_STALE_MS = 5 * 60_000;
const LOCK_POLL_MS = 200;

/**
 * A directory lock (mkdir is atomic) around one compilation. Returns a release function when this
 * process should compile, or `'ready'` when another process wrote `file` meanwhile. A lock older
 * than five minutes is taken over (its owner crashed).
 */
async function acquireLock(lock: string, file: string): Promise<(() => Promise<void>) | 'ready'> {
  await mkdir(dirname(lock), { recursive: true });
  for (;;) {
    try {
      await mkdir(lock);
      return () => rm(lock, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (existsSync(file)) return 'ready';
    const age = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
    if (age > LOCK_STALE_MS) await rm(lock, { recursive: true, force: true });
    else await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
    if (existsSync(file)) return 'ready';
  }
}

/** Loaded validators per cache file, shared by every ValidatorCache of the process. */
const loadedModules = new Map<string, Validator>();

/** Forgets the validators loaded in this process (benchmarks measure a fresh load). */
export function forgetLoadedValidators(): void {
  loadedModules.clear();
}

/**
 * sha256 of a file, memoised per path, size and mtime (schema files are large; renders repeat).
 * The promise is memoised, not the digest: a render asks for all its validators at once, and
 * every request names the same schemas file, so memoising only finished digests read and hashed
 * it once per validator (27 times in a whole-repository render).
 */
const fileHashes = new Map<string, { key: string; hash: Promise<Buffer> }>();
async function fileHash(file: string): Promise<Buffer> {
  const st = await stat(file);
  const key = `${st.size}:${st.mtimeMs}`;
  const hit = fileHashes.get(file);
  if (hit?.key === key) return hit.hash;
  const hash = readFile(file).then((bytes) => createHash('sha256').update(bytes).digest());
  fileHashes.set(file, { key, hash });
  // A failed read is not remembered: the next call tries again.
  hash.catch(() => {
    if (fileHashes.get(file)?.hash === hash) fileHashes.delete(file);
  });
  return hash;
}

/**
 * Runs a cached CommonJS file through `vm.Script` with V8's code cache beside it
 * (`<file>.<V8 version>.v8cache`). When there was no usable code cache, `writeCodeCache` writes
 * one: call it after the code has run, so that the cache holds the functions compiled by then,
 * not just the parse. Used for the validators and for the rehearsal's bundle (rehearsal-bundle.ts).
 */
export function loadCachedScript(
  file: string,
  require: NodeJS.Require,
): { exports: unknown; writeCodeCache?: () => Promise<void> } {
  const codeCacheFile = `${file}.${process.versions.v8}.v8cache`;
  const cachedData = existsSync(codeCacheFile) ? readFileSync(codeCacheFile) : undefined;
  const source = readFileSync(file, 'utf8');
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const mod = { exports: {} as unknown };
  (script.runInThisContext() as (...a: unknown[]) => void)(mod.exports, require, mod, file, dirname(file));
  if (cachedData && !script.cachedDataRejected) return { exports: mod.exports };
  return {
    exports: mod.exports,
    async writeCodeCache() {
      // Write then rename: a concurrent process never reads half a cache.
      const tmp = `${codeCacheFile}.${process.pid}.tmp`;
      await writeFile(tmp, script.createCachedData());
      await rename(tmp, codeCacheFile);
    },
  };
}

export interface CompileStats {
  compiled: number;
  cached: number;
}

/** Compiles (or loads from cache) validators; one instance per render. */
export class ValidatorCache {
  private readonly memo = new Map<string, Promise<Validator>>();
  private readonly require = createRequire(import.meta.url);
  readonly stats: CompileStats = { compiled: 0, cached: 0 };

  constructor(private readonly cacheDir: string | undefined) {}

  get(request: SchemaRequest): Promise<Validator> {
    let v = this.memo.get(request.key);
    if (!v) {
      v = this.load(request);
      this.memo.set(request.key, v);
    }
    return v;
  }

  /** Writes V8 code caches for validators loaded without one (call after they have run). */
  async flush(): Promise<void> {
    await Promise.all(this.pendingCodeCache.splice(0).map((write) => write()));
  }

  private readonly pendingCodeCache: (() => Promise<void>)[] = [];

  /** Loads a standalone validator module with V8's code cache (written by `flush`). */
  private loadModule(file: string): Validator {
    const loaded = loadedModules.get(file);
    if (loaded) return loaded;
    const { exports, writeCodeCache } = loadCachedScript(file, this.require);
    if (writeCodeCache) this.pendingCodeCache.push(writeCodeCache);
    loadedModules.set(file, exports as Validator);
    return exports as Validator;
  }

  /** The cache file of a request (its name hashes the schema bundle, the key and the versions). */
  private async cacheFile(request: SchemaRequest): Promise<string | undefined> {
    if (!this.cacheDir) return undefined;
    const hash = createHash('sha256').update(`${TRANSFORM_VERSION}\0${AJV_VERSION}\0${request.key}\0`);
    for (const f of request.files) hash.update(await fileHash(f));
    return join(this.cacheDir, `${hash.digest('hex').slice(0, 32)}.cjs`);
  }

  /** Whether `get(request)` would have to compile (nothing in memory or on disk yet). */
  async needsCompile(request: SchemaRequest): Promise<boolean> {
    if (this.memo.has(request.key)) return false;
    const file = await this.cacheFile(request);
    return !file || (!loadedModules.has(file) && !existsSync(file));
  }

  private async load(request: SchemaRequest): Promise<Validator> {
    const file = await this.cacheFile(request);
    if (file && existsSync(file)) {
      this.stats.cached++;
      return this.loadModule(file);
    }
    // Parallel processes on a cold cache (vitest workers, CI steps) would each compile the same
    // multi-second schema; the first takes a lock, the others wait for its file.
    const release = file ? await acquireLock(`${file}.lock`, file) : undefined;
    if (release === 'ready' && file) {
      this.stats.cached++;
      return this.loadModule(file);
    }
    try {
      if (file && existsSync(file)) {
        this.stats.cached++;
        return this.loadModule(file);
      }
      return await this.compile(request, file);
    } finally {
      if (typeof release === 'function') await release();
    }
  }

  private async compile(request: SchemaRequest, file: string | undefined): Promise<Validator> {
    const { Ajv: AjvClass, standaloneCode } = await loadAjv();
    const ajv = new AjvClass({
      strict: false,
      allErrors: true,
      validateFormats: false,
      code: { source: true, lines: false },
    });
    const validate = ajv.compile(await request.build());
    this.stats.compiled++;
    if (file && this.cacheDir) {
      await mkdir(this.cacheDir, { recursive: true });
      // Write then rename: a concurrent render never loads half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, standaloneCode(ajv, validate));
      await rename(tmp, file);
    }
    return validate as Validator;
  }
}
