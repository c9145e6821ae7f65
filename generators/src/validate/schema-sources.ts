/**
 * Where the schema of a kind lives: core kinds in the Kubernetes 1.34 OpenAPI v3 documents
 * (`../shared/k8s-openapi/v1.34/`, one file per group-version), custom kinds in the pinned CRDs
 * (`../shared/crds/**`). Read at run time from the shared folder, never copied into the repo.
 * Only the head of each CRD file is parsed to index it (group, kind, scope, served versions);
 * the full schema is read only when that kind is rendered.
 */
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface SchemaPaths {
  /** `../shared/k8s-openapi/v1.34` */
  openapiDir: string;
  /** `../shared/crds` */
  crdDir: string;
}

export function defaultSchemaPaths(repoRoot: string): SchemaPaths {
  return {
    openapiDir: join(repoRoot, '..', 'shared', 'k8s-openapi', 'v1.34'),
    crdDir: join(repoRoot, '..', 'shared', 'crds'),
  };
}

/** `apps/v1` → `apis__apps__v1_openapi.json`; `v1` → `api__v1_openapi.json`. */
export function openapiFile(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  if (slash === -1) return `api__${apiVersion}_openapi.json`;
  return `apis__${apiVersion.slice(0, slash)}__${apiVersion.slice(slash + 1)}_openapi.json`;
}

export interface CrdEntry {
  file: string;
  group: string;
  kind: string;
  scope: 'Namespaced' | 'Cluster';
}

/** Reads the head of a CRD file (everything before `versions:`) and returns its identity. */
async function crdHead(file: string): Promise<CrdEntry | undefined> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(16_384);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8');
    const cut = text.search(/^ {2}versions:/m);
    if (cut === -1) return undefined;
    const head = parse(text.slice(0, cut)) as {
      kind?: string;
      spec?: { group?: string; names?: { kind?: string }; scope?: string };
    };
    if (head?.kind !== 'CustomResourceDefinition' || !head.spec?.group || !head.spec.names?.kind)
      return undefined;
    return {
      file,
      group: head.spec.group,
      kind: head.spec.names.kind,
      scope: head.spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced',
    };
  } finally {
    await handle.close();
  }
}

async function yamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await yamlFiles(p)));
    else if (e.name.endsWith('.yaml') || e.name.endsWith('.yml')) out.push(p);
  }
  return out.sort();
}

/** `group/Kind` → CRD file, for every CRD under `crdDir`. */
export async function indexCrds(crdDir: string): Promise<Map<string, CrdEntry>> {
  const entries = await Promise.all((await yamlFiles(crdDir)).map(crdHead));
  const index = new Map<string, CrdEntry>();
  for (const e of entries) if (e) index.set(`${e.group}/${e.kind}`, e);
  return index;
}
