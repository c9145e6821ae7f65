/**
 * Validates every rendered object before anything is written
 * (docs/design/rendering.md §Validation against pinned schemas): its schema (core kinds against the
 * Kubernetes 1.34 OpenAPI spec, custom kinds against the pinned CRDs; unknown fields are errors),
 * and the rules of rules.ts. A failure names environment, file, object and JSON path.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import { PLATFORM } from '../platform.js';
import type { RenderedEnvironment, RenderedObject } from '../render/types.js';
import {
  type CompileStats,
  coreDefinitionRequest,
  coreSchemaRequest,
  crdSchemaRequest,
  type SchemaRequest,
  ValidatorCache,
} from './compile.js';
import { ruleProblems } from './rules.js';
import { type BundleIndex, DEFAULT_BUNDLE_DIR, readBundleIndex } from './schema-bundle.js';

export interface ValidationProblem {
  environment: string | undefined;
  /** Repository-relative file (`gitops/staging/api/rollout-api.yaml`). */
  file: string;
  /** `Rollout/api` */
  object: string;
  /** JSON pointer into the object (`/spec/strategy/canry`). */
  path: string;
  message: string;
}

export function formatProblem(p: ValidationProblem): string {
  return `${p.environment ?? 'global'}: ${p.file}: ${p.object}: ${p.path || '/'}: ${p.message}`;
}

export class RenderValidationError extends Error {
  readonly problems: ValidationProblem[];
  constructor(problems: ValidationProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'RenderValidationError';
    this.problems = problems;
  }
}

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ValidateOptions {
  /** The schema bundle (default `generators/schemas/`, committed; schema-bundle.ts). */
  bundleDir?: string;
  /**
   * Where compiled validators are cached; `null` disables the disk cache. Default:
   * `$PAYDAY_RENDER_CACHE`, else `node_modules/.cache/payday-render/`.
   */
  cacheDir?: string | null;
  /**
   * One progress message before a long first run ("compiling 25 schema validators …"), only when
   * some validator is not cached yet; a warm run says nothing.
   */
  progress?: (message: string) => void;
}

/** Pod templates inside Rollouts are also checked against the core PodTemplateSpec (the CRD leaves parts untyped). */
const EMBEDDED_POD_TEMPLATES = new Set(['argoproj.io/Rollout']);

function describeAjvError(e: ErrorObject): { path: string; message: string } {
  if (e.keyword === 'additionalProperties') {
    const field = (e.params as { additionalProperty: string }).additionalProperty;
    return { path: `${e.instancePath}/${field}`, message: `unknown field "${field}"` };
  }
  if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
    return {
      path: e.instancePath,
      message: `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
    };
  }
  return { path: e.instancePath, message: e.message ?? e.keyword };
}

/** Fewer, clearer errors: an anyOf/oneOf failure repeats its branches' errors; keep the branches'. */
function usefulErrors(errors: readonly ErrorObject[]): { path: string; message: string }[] {
  const out = new Map<string, { path: string; message: string }>();
  for (const e of errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const d = describeAjvError(e);
    out.set(`${d.path}\0${d.message}`, d);
  }
  if (out.size === 0) for (const e of errors) out.set(e.instancePath, describeAjvError(e));
  return [...out.values()];
}

export class ObjectValidator {
  private readonly cache: ValidatorCache;
  private readonly bundleDir: string;
  private index: Promise<BundleIndex> | undefined;

  constructor(options: ValidateOptions = {}) {
    this.bundleDir = options.bundleDir ?? DEFAULT_BUNDLE_DIR;
    // PAYDAY_RENDER_CACHE moves the cache (e.g. a CI cache directory); default under node_modules.
    const cacheDir =
      options.cacheDir === undefined
        ? (process.env.PAYDAY_RENDER_CACHE ?? join(REPO_ROOT, 'node_modules', '.cache', 'payday-render'))
        : options.cacheDir;
    this.progress = options.progress;
    this.cache = new ValidatorCache(cacheDir ?? undefined);
  }

  private readonly progress: ((message: string) => void) | undefined;

  get stats(): CompileStats {
    return this.cache.stats;
  }

  private async request(apiVersion: string, kind: string): Promise<SchemaRequest | string> {
    const slash = apiVersion.indexOf('/');
    const group = slash === -1 ? '' : apiVersion.slice(0, slash);
    const version = slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
    this.index ??= readBundleIndex(this.bundleDir);
    const index = await this.index;
    const core = index.core[apiVersion]?.[kind];
    if (core) return coreSchemaRequest(this.bundleDir, apiVersion, kind, core);
    const crd = index.crds[`${group}/${kind}`];
    if (!crd)
      return `no schema for ${apiVersion} ${kind}: not a Kubernetes ${index.kubernetes} kind and no CRD in the schema bundle (generators/schemas/)`;
    if (!crd.versions.includes(version))
      return `no schema for ${apiVersion} ${kind}: the pinned CRD serves ${crd.versions.join(', ')}`;
    return crdSchemaRequest(this.bundleDir, group, version, kind);
  }

  /** The validators one object needs: its kind's, and the core PodTemplateSpec for a Rollout's template. */
  private async requestsOf(o: RenderedObject['object']): Promise<SchemaRequest[]> {
    const { apiVersion, kind } = o;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') return [];
    const req = await this.request(apiVersion, kind);
    const out = typeof req === 'string' ? [] : [req];
    if (EMBEDDED_POD_TEMPLATES.has(`${apiVersion.split('/')[0]}/${kind}`)) out.push(this.podTemplate());
    return out;
  }

  private podTemplate(): SchemaRequest {
    return coreDefinitionRequest(this.bundleDir, 'io.k8s.api.core.v1.PodTemplateSpec');
  }

  /** Schema problems of one object (JSON pointer + message). */
  async check(r: RenderedObject): Promise<{ path: string; message: string }[]> {
    const { apiVersion, kind } = r.object;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      return [{ path: '', message: 'apiVersion and kind are required' }];
    }
    const req = await this.request(apiVersion, kind);
    if (typeof req === 'string') return [{ path: '', message: req }];
    let validate: Awaited<ReturnType<ValidatorCache['get']>>;
    try {
      validate = await this.cache.get(req);
    } catch (err) {
      return [{ path: '', message: err instanceof Error ? err.message : String(err) }];
    }
    const problems = validate(r.object) ? [] : usefulErrors(validate.errors ?? []);
    const group = apiVersion.split('/')[0];
    if (EMBEDDED_POD_TEMPLATES.has(`${group}/${kind}`)) {
      const template = (r.object.spec as { template?: unknown } | undefined)?.template;
      if (template !== undefined) {
        const pod = await this.cache.get(this.podTemplate());
        if (!pod(template)) {
          for (const p of usefulErrors(pod.errors ?? [])) {
            const path = `/spec/template${p.path}`;
            if (!problems.some((x) => x.path === path && x.message === p.message))
              problems.push({ ...p, path });
          }
        }
      }
    }
    return problems;
  }

  /** Validates everything; throws `RenderValidationError` listing every problem. */
  async validate(
    environments: readonly RenderedEnvironment[],
    global: readonly RenderedObject[],
  ): Promise<void> {
    const problems: ValidationProblem[] = [];
    const describe = (r: RenderedObject, path: string, message: string): ValidationProblem => ({
      environment: r.environment,
      file: `${PLATFORM.gitopsDir}/${r.path}`,
      object: `${r.object.kind}/${r.object.metadata?.name ?? '?'}`,
      path,
      message,
    });
    const all = [...environments.flatMap((e) => e.objects), ...global];
    if (this.progress) {
      const requests = new Map<string, SchemaRequest>();
      for (const list of await Promise.all(all.map((r) => this.requestsOf(r.object))))
        for (const req of list) requests.set(req.key, req);
      const needed = await Promise.all([...requests.values()].map((req) => this.cache.needsCompile(req)));
      const count = needed.filter(Boolean).length;
      if (count > 0)
        this.progress(
          `compiling ${count} schema validator(s) for the rendered kinds (first run only, up to a minute; cached afterwards)`,
        );
    }
    let results: Awaited<ReturnType<ObjectValidator['check']>>[];
    try {
      results = await Promise.all(all.map((r) => this.check(r)));
    } finally {
      // Validators have run now: their V8 code cache includes the compiled functions.
      await this.cache.flush();
    }
    all.forEach((r, i) => {
      for (const p of results[i]!) problems.push(describe(r, p.path, p.message));
    });
    for (const env of environments) {
      for (const p of ruleProblems(env.objects)) problems.push(describe(p.object, p.path, p.message));
    }
    for (const p of ruleProblems(global)) problems.push(describe(p.object, p.path, p.message));
    if (problems.length) throw new RenderValidationError(problems);
  }
}

/** Validates rendered objects with a fresh validator (disk cache shared across runs). */
export async function validateRendered(
  environments: readonly RenderedEnvironment[],
  global: readonly RenderedObject[],
  options: ValidateOptions = {},
): Promise<void> {
  await new ObjectValidator(options).validate(environments, global);
}
