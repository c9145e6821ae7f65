import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main, readManifest } from '../cli/schemas.js';
import {
  buildBundle,
  groupVersionOf,
  originOf,
  type PinnedSource,
  pruneSchema,
  sha256,
} from './bundle-build.js';
import { type BundleIndex, type BundleSchemas, DEFAULT_BUNDLE_DIR } from './schema-bundle.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/** Where the pinned upstream files live when a checkout has them beside it (never needed to run). */
const SOURCES = join(REPO, '..', 'shared');
const index = JSON.parse(readFileSync(join(DEFAULT_BUNDLE_DIR, 'index.json'), 'utf8')) as BundleIndex;
const schemasText = readFileSync(join(DEFAULT_BUNDLE_DIR, 'schemas.json'), 'utf8');
const schemas = JSON.parse(schemasText) as BundleSchemas;

describe('the committed schema bundle (generators/schemas/)', () => {
  it('holds the schemas file its index records, byte for byte', () => {
    expect(sha256(schemasText)).toBe(index.schemas.sha256);
    expect(Buffer.byteLength(schemasText)).toBe(index.schemas.bytes);
  });

  it('records every pinned source of scripts/shared/manifest.json with its origin and sha256', async () => {
    const manifest = await readManifest();
    expect(Object.keys(index.sources).sort()).toEqual(Object.keys(manifest).sort());
    for (const [rel, pin] of Object.entries(manifest)) {
      expect(index.sources[rel], rel).toEqual(
        expect.objectContaining({ origin: originOf(pin.url), sha256: pin.sha256 }),
      );
      // A tag (vX.Y.Z) or a full commit, never a branch.
      expect(index.sources[rel]!.origin, rel).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40}):\S+$/);
    }
  });

  it('has a schema for every kind and version it indexes, and for every kind rendered in gitops/', () => {
    for (const kinds of Object.values(index.core))
      for (const def of Object.values(kinds)) expect(schemas.definitions[def], def).toBeDefined();
    for (const [key, crd] of Object.entries(index.crds)) {
      const [group, kind] = key.split('/');
      for (const v of crd.versions)
        expect(schemas.crds[`${group}/${v}/${kind}`], `${key} ${v}`).toBeDefined();
    }
    const rendered = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.yaml') && e.name !== 'kustomization.yaml') {
          const o = parse(readFileSync(p, 'utf8')) as { apiVersion: string; kind: string };
          rendered.add(`${o.apiVersion} ${o.kind}`);
        }
      }
    };
    walk(join(REPO, 'gitops'));
    expect(rendered.size).toBeGreaterThan(20);
    for (const gvk of rendered) {
      const [apiVersion, kind] = gvk.split(' ') as [string, string];
      const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
      const version = apiVersion.split('/').pop()!;
      const known =
        index.core[apiVersion]?.[kind] !== undefined ||
        index.crds[`${group}/${kind}`]?.versions.includes(version);
      expect(known, gvk).toBe(true);
    }
  });

  it('matches the pinned upstream files wherever they are present beside the repository', async () => {
    const rels = Object.keys(index.sources);
    const present = rels.filter((rel) => existsSync(join(SOURCES, rel)));
    for (const rel of present) {
      expect(sha256(readFileSync(join(SOURCES, rel))), `${rel}: upstream file changed`).toBe(
        index.sources[rel]!.sha256,
      );
    }
    // Either none (a plain clone) or all of them (a checkout with the sources): a partial set is a broken folder.
    expect([0, rels.length]).toContain(present.length);
    if (present.length === rels.length) {
      const built = await buildBundle(SOURCES, await readManifest());
      expect(built.indexText === readFileSync(join(DEFAULT_BUNDLE_DIR, 'index.json'), 'utf8')).toBe(true);
      expect(built.schemasText === schemasText).toBe(true);
    }
  });
});

/** A two-source fixture: one OpenAPI group-version document and one CRD. */
const OPENAPI = {
  openapi: '3.0.0',
  components: {
    schemas: {
      'io.k8s.api.widgets.v1.Widget': {
        description: 'documentation only',
        type: 'object',
        properties: {
          metadata: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
          description: { type: 'string', format: 'byte', default: 'x' },
          size: { type: 'integer', minimum: 1, 'x-kubernetes-list-type': 'atomic' },
        },
        'x-kubernetes-group-version-kind': [{ group: 'widgets', version: 'v1', kind: 'Widget' }],
      },
      'io.k8s.api.widgets.v1.WidgetList': {
        type: 'object',
        properties: {
          items: { type: 'array', items: { $ref: '#/components/schemas/io.k8s.api.widgets.v1.Widget' } },
        },
        'x-kubernetes-group-version-kind': [{ group: 'widgets', version: 'v1', kind: 'WidgetList' }],
      },
      'io.k8s.api.widgets.v1.Unused': { type: 'object' },
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
        type: 'object',
        properties: { name: { type: 'string', description: 'the name' } },
      },
    },
  },
};
const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  scope: Cluster
  names: {kind: Gadget, plural: gadgets}
  versions:
    - name: v1
      served: true
      schema:
        openAPIV3Schema:
          type: object
          description: a gadget
          properties:
            spec:
              type: object
              x-kubernetes-preserve-unknown-fields: true
              x-kubernetes-validations: [{rule: "self.size > 0"}]
    - name: v0
      served: false
      schema: {openAPIV3Schema: {type: object}}
`;

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function fixture(): Promise<{ dir: string; manifest: Record<string, PinnedSource> }> {
  dir = await mkdtemp(join(tmpdir(), 'payday-bundle-'));
  const files: Record<string, string> = {
    'k8s-openapi/v1.34/apis__widgets__v1_openapi.json': JSON.stringify(OPENAPI),
    'crds/example/gadgets.yaml': CRD,
  };
  const manifest: Record<string, PinnedSource> = {};
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(join(dir, rel, '..'), { recursive: true });
    await writeFile(join(dir, rel), text);
    manifest[rel] = { url: `https://raw.githubusercontent.com/o/r/v1.0.0/${rel}`, sha256: sha256(text) };
  }
  return { dir, manifest };
}

describe('buildBundle', () => {
  it('keeps the kinds, their reachable definitions and served CRD versions, without documentation', async () => {
    const f = await fixture();
    const built = await buildBundle(f.dir, f.manifest);
    expect(built.index.core).toEqual({ 'widgets/v1': { Widget: 'io.k8s.api.widgets.v1.Widget' } });
    expect(built.index.crds).toEqual({
      'example.com/Gadget': { scope: 'Cluster', source: 'crds/example/gadgets.yaml', versions: ['v1'] },
    });
    expect(built.index.sources['crds/example/gadgets.yaml']).toEqual({
      origin: 'o/r@v1.0.0:crds/example/gadgets.yaml',
      sha256: f.manifest['crds/example/gadgets.yaml']!.sha256,
      bytes: CRD.length,
    });
    const s = JSON.parse(built.schemasText) as BundleSchemas;
    expect(Object.keys(s.definitions).sort()).toEqual([
      'io.k8s.api.widgets.v1.Widget',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    ]);
    // A property named "description" stays; the documentation keyword goes.
    expect(s.definitions['io.k8s.api.widgets.v1.Widget']).toEqual({
      type: 'object',
      properties: {
        metadata: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
        description: { type: 'string' },
        size: { type: 'integer', minimum: 1 },
      },
    });
    expect(s.crds).toEqual({
      'example.com/v1/Gadget': {
        type: 'object',
        properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    });
    expect(sha256(built.schemasText)).toBe(built.index.schemas.sha256);
  });

  it('fails closed on a source whose sha256 differs from its pin, or one that is missing', async () => {
    const f = await fixture();
    await writeFile(join(f.dir, 'crds/example/gadgets.yaml'), `${CRD}# edited\n`);
    await expect(buildBundle(f.dir, f.manifest)).rejects.toThrow(
      /^crds\/example\/gadgets\.yaml: sha256 [0-9a-f]{64} does not match the pinned [0-9a-f]{64}$/,
    );
    await rm(join(f.dir, 'crds/example/gadgets.yaml'));
    await expect(buildBundle(f.dir, f.manifest)).rejects.toThrow(
      `crds/example/gadgets.yaml: missing from ${f.dir} (npx tsx scripts/shared/fetch.ts ${f.dir} fetches it)`,
    );
  });

  it('refuses a source that is neither a group-version document nor a CRD, and a kind defined twice', async () => {
    const f = await fixture();
    const pin = (rel: string, text: string) => ({
      ...f.manifest,
      [rel]: { url: `https://raw.githubusercontent.com/o/r/v1.0.0/${rel}`, sha256: sha256(text) },
    });
    await writeFile(join(f.dir, 'crds/example/not-a-crd.yaml'), 'kind: ConfigMap\n');
    await expect(buildBundle(f.dir, pin('crds/example/not-a-crd.yaml', 'kind: ConfigMap\n'))).rejects.toThrow(
      'crds/example/not-a-crd.yaml: not a CustomResourceDefinition',
    );
    await writeFile(join(f.dir, 'notes.txt'), 'x');
    await expect(buildBundle(f.dir, pin('notes.txt', 'x'))).rejects.toThrow(
      'notes.txt: neither an OpenAPI document nor a CRD',
    );
    await writeFile(join(f.dir, 'crds/example/gadgets-again.yaml'), CRD);
    await expect(buildBundle(f.dir, pin('crds/example/gadgets-again.yaml', CRD))).rejects.toThrow(
      'crds/example/gadgets.yaml: example.com/Gadget is already defined by crds/example/gadgets-again.yaml',
    );
  });

  it('names group-versions from upstream file names and origins from pinned addresses', () => {
    expect(groupVersionOf('api__v1_openapi.json')).toBe('v1');
    expect(groupVersionOf('apis__rbac.authorization.k8s.io__v1_openapi.json')).toBe(
      'rbac.authorization.k8s.io/v1',
    );
    expect(groupVersionOf('README.md')).toBeUndefined();
    expect(originOf('https://raw.githubusercontent.com/argoproj/argo-cd/v3.5.1/manifests/crds/a.yaml')).toBe(
      'argoproj/argo-cd@v3.5.1:manifests/crds/a.yaml',
    );
    expect(pruneSchema({ enum: [{ description: 'kept' }], required: ['description'] })).toEqual({
      enum: [{ description: 'kept' }],
      required: ['description'],
    });
  });
});

describe('npm run schemas', () => {
  const io = () => {
    const out = { stdout: '', stderr: '' };
    const io = {
      stdout: (s: string) => {
        out.stdout += s;
      },
      stderr: (s: string) => {
        out.stderr += s;
      },
    };
    return { out, io };
  };

  it('writes the bundle from the pinned files, and --check tells a fresh bundle from a stale one', async () => {
    const f = await fixture();
    const bundleDir = join(f.dir, 'bundle');
    await mkdir(bundleDir);
    const manifest = join(f.dir, 'manifest.json');
    await writeFile(manifest, JSON.stringify({ files: f.manifest }));
    const write = io();
    expect(await main(['--from', f.dir], write.io, { bundleDir, manifest })).toBe(0);
    expect(write.out.stdout).toBe(
      `schemas: wrote ${bundleDir} (2 sources, 1 core kinds, 1 CRD kinds, 0.0 MB)\n`,
    );
    expect((await readdir(bundleDir)).sort()).toEqual(['index.json', 'schemas.json']);
    const fresh = io();
    expect(await main(['--check', '--from', f.dir], fresh.io, { bundleDir, manifest })).toBe(0);
    expect(fresh.out.stdout).toContain('is up to date');
    await writeFile(join(bundleDir, 'schemas.json'), '{}\n');
    const stale = io();
    expect(await main(['--check', '--from', f.dir], stale.io, { bundleDir, manifest })).toBe(1);
    expect(stale.out.stderr).toBe(
      `schemas --check: schemas.json differ from what ${f.dir} builds; run \`npm run schemas\`\n`,
    );
  });

  it('refuses a source folder without the pinned files and writes nothing', async () => {
    dir = await mkdtemp(join(tmpdir(), 'payday-schemas-'));
    const r = io();
    expect(await main(['--from', dir], r.io, { bundleDir: dir })).toBe(2);
    expect(r.out.stderr).toMatch(
      /^schemas: crds\/argo-cd\/application-crd\.yaml: missing from .*; nothing was written\n$/,
    );
    expect(await readdir(dir)).toEqual([]);
  });
});
