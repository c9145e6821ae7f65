/**
 * Builds the schema bundle (`generators/schemas/`) from the pinned upstream files: the
 * Kubernetes 1.34 OpenAPI v3 documents (one per group-version) and the CRDs the platform
 * installs. The list of sources, each with its pinned address and sha256, is
 * `scripts/shared/manifest.json`; `npm run schemas` runs this over a folder holding them
 * (README.md "Schemas" explains how to get one).
 *
 * The bundle keeps only what validation uses:
 *  - core kinds: the definitions reachable from every kind of every group-version document
 *    (list kinds and the meta/v1 envelopes excepted), de-duplicated across documents;
 *  - custom kinds: the `openAPIV3Schema` of every served version of every CRD;
 *  - no documentation or keywords the validator ignores (see `pruneSchema`).
 * Every source is checked against its pinned sha256 first: a changed file builds nothing.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  BUNDLE_COMMENT,
  type BundleIndex,
  type BundleSchemas,
  type BundleSource,
  KUBERNETES_VERSION,
} from './schema-bundle.js';

export interface PinnedSource {
  url: string;
  sha256: string;
}

export const sha256 = (bytes: Uint8Array | string): string =>
  createHash('sha256').update(bytes).digest('hex');

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Keywords the validator keeps. Everything else (description, example, default, format,
 * title, externalDocs, and the x-kubernetes-* list/map/patch/CEL annotations) is ignored by
 * ajv as configured in compile.ts (`strict: false`, `validateFormats: false`, no defaults) or
 * by strict-schema.ts, so it is dropped from the bundle.
 */
const KEPT = new Set([
  '$ref',
  'type',
  'properties',
  'additionalProperties',
  'items',
  'required',
  'enum',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'multipleOf',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'nullable',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
]);

/** A deep copy of `schema` with only the keywords validation uses (property names are kept as they are). */
export function pruneSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(pruneSchema);
  if (!isNode(schema)) return schema;
  const out: Node = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!KEPT.has(key)) continue;
    if (key === 'properties' && isNode(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pruneSchema(v)]));
    } else if (key === 'enum' || key === 'required') {
      out[key] = value;
    } else {
      out[key] = pruneSchema(value);
    }
  }
  return out;
}

const REF_PREFIX = '#/components/schemas/';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

/** `kubernetes-sigs/kubectl-validate@<commit>:<path>` from a raw.githubusercontent.com address. */
export function originOf(url: string): string {
  const [owner, repo, ref, ...path] = new URL(url).pathname.slice(1).split('/');
  return `${owner}/${repo}@${ref}:${path.join('/')}`;
}

/** `api__v1_openapi.json` → `v1`; `apis__apps__v1_openapi.json` → `apps/v1`. */
export function groupVersionOf(file: string): string | undefined {
  const core = /^api__(v\w+)_openapi\.json$/.exec(file);
  if (core) return core[1];
  const group = /^apis__(.+)__(v\w+)_openapi\.json$/.exec(file);
  return group ? `${group[1]}/${group[2]}` : undefined;
}

interface OpenApiDoc {
  components: { schemas: Record<string, Node> };
}

/** The definitions reachable from `roots` through `$ref` (names without the `#/components/schemas/` prefix). */
function reachableNames(defs: Record<string, Node>, roots: string[]): string[] {
  const seen = new Set<string>();
  const queue = [...roots];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isNode(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string' && x.startsWith(REF_PREFIX))
          queue.push(x.slice(REF_PREFIX.length));
        else visit(x);
      }
    }
  };
  while (queue.length) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    const def = defs[name];
    if (!def) throw new Error(`definition ${name} is referenced but not defined`);
    seen.add(name);
    visit(def);
  }
  return [...seen];
}

interface CrdDoc {
  kind?: string;
  spec?: {
    group?: string;
    scope?: string;
    names?: { kind?: string };
    versions?: { name: string; served?: boolean; schema?: { openAPIV3Schema?: unknown } }[];
  };
}

export interface BuiltBundle {
  index: BundleIndex;
  /** The exact text of `index.json` and `schemas.json`. */
  indexText: string;
  schemasText: string;
}

/** One entry per line: reviewable diffs, and no pretty-printing of multi-megabyte schemas. */
function serializeSchemas(s: Record<keyof BundleSchemas, Record<string, unknown>>): string {
  const section = (o: Record<string, unknown>): string =>
    Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${JSON.stringify(o[k])}`)
      .join(',\n');
  return `{"definitions":{\n${section(s.definitions)}\n},\n"crds":{\n${section(s.crds)}\n}}\n`;
}

/**
 * Reads every source of `manifest` from `sourceDir` (the layout of `scripts/shared/manifest.json`:
 * `k8s-openapi/v1.34/<file>`, `crds/<project>/<file>`), checks its sha256 and builds the bundle.
 */
export async function buildBundle(
  sourceDir: string,
  manifest: Record<string, PinnedSource>,
): Promise<BuiltBundle> {
  const sources: Record<string, BundleSource> = {};
  const core: BundleIndex['core'] = {};
  const crds: BundleIndex['crds'] = {};
  const definitions: Record<string, unknown> = {};
  const definitionSource: Record<string, string> = {};
  const crdSchemas: Record<string, unknown> = {};

  for (const rel of Object.keys(manifest).sort()) {
    const pin = manifest[rel]!;
    let bytes: Buffer;
    try {
      bytes = await readFile(join(sourceDir, rel));
    } catch {
      throw new Error(
        `${rel}: missing from ${sourceDir} (npx tsx scripts/shared/fetch.ts ${sourceDir} fetches it)`,
      );
    }
    const actual = sha256(bytes);
    if (actual !== pin.sha256)
      throw new Error(`${rel}: sha256 ${actual} does not match the pinned ${pin.sha256}`);
    sources[rel] = { origin: originOf(pin.url), sha256: actual, bytes: bytes.length };
    const text = bytes.toString('utf8');

    const file = rel.split('/').pop()!;
    const gv = rel.startsWith('k8s-openapi/') ? groupVersionOf(file) : undefined;
    if (gv) {
      const doc = JSON.parse(text) as OpenApiDoc;
      const [group, version] = gv.includes('/') ? gv.split('/') : ['', gv];
      const kinds: Record<string, string> = {};
      for (const [name, def] of Object.entries(doc.components.schemas)) {
        if (name.startsWith(META)) continue;
        const gvks = def['x-kubernetes-group-version-kind'] as
          | { group: string; version: string; kind: string }[]
          | undefined;
        const own = gvks?.find((g) => g.group === group && g.version === version);
        if (own && !own.kind.endsWith('List')) kinds[own.kind] = name;
      }
      core[gv] = Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b)));
      for (const name of reachableNames(doc.components.schemas, Object.values(kinds))) {
        const pruned = pruneSchema(doc.components.schemas[name]);
        if (name in definitions && JSON.stringify(definitions[name]) !== JSON.stringify(pruned)) {
          throw new Error(`${name} differs between ${definitionSource[name]} and ${rel}`);
        }
        definitions[name] = pruned;
        definitionSource[name] ??= rel;
      }
      continue;
    }
    if (!rel.startsWith('crds/')) throw new Error(`${rel}: neither an OpenAPI document nor a CRD`);
    const crd = parse(text) as CrdDoc;
    const { group, names, versions } = crd.spec ?? {};
    if (crd.kind !== 'CustomResourceDefinition' || !group || !names?.kind || !versions) {
      throw new Error(`${rel}: not a CustomResourceDefinition`);
    }
    const served = versions.filter((v) => v.served !== false && v.schema?.openAPIV3Schema);
    const key = `${group}/${names.kind}`;
    if (key in crds) throw new Error(`${rel}: ${key} is already defined by ${crds[key]!.source}`);
    crds[key] = {
      scope: crd.spec?.scope === 'Cluster' ? 'Cluster' : 'Namespaced',
      source: rel,
      versions: served.map((v) => v.name),
    };
    for (const v of served)
      crdSchemas[`${group}/${v.name}/${names.kind}`] = pruneSchema(v.schema!.openAPIV3Schema);
  }

  const schemasText = serializeSchemas({ definitions, crds: crdSchemas });
  const index: BundleIndex = {
    $comment: BUNDLE_COMMENT,
    kubernetes: KUBERNETES_VERSION,
    schemas: { file: 'schemas.json', sha256: sha256(schemasText), bytes: Buffer.byteLength(schemasText) },
    sources,
    core: Object.fromEntries(Object.entries(core).sort(([a], [b]) => a.localeCompare(b))),
    crds: Object.fromEntries(Object.entries(crds).sort(([a], [b]) => a.localeCompare(b))),
  };
  return { index, indexText: `${JSON.stringify(index, null, 2)}\n`, schemasText };
}
