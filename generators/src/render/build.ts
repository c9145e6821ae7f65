/**
 * Runs the chart factories (charts/registry.ts) over the environments and collects every
 * synthesized object with its folder and sources. Two scenarios go through the same factories:
 * each selected environment into `gitops/<env>/`, and the pull-request preview, the base
 * environment in preview mode into `gitops/preview/`
 * (docs/design/environments.md §Preview environments). cdk8s resource-name hashing is off: every
 * object carries the name its construct chose (docs/design/rendering.md §Deterministic output).
 */
import { ApiObject, App, Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { appRefs } from '../charts/app-ref.js';
import { PREVIEW_BASE, PREVIEW_DIR } from '../charts/argocd/preview.js';
import type { EnvironmentContext, FolderOptions, GlobalContext } from '../charts/context.js';
import type { ChartFactory } from '../charts/factory.js';
import { environmentLabels } from '../charts/labels.js';
import { buildersOf } from '../charts/provenance.js';
import type { Environment } from '../environments/schema.js';
import { environmentNamespace, PLATFORM } from '../platform.js';
import { CLUSTER_SCOPED_KINDS, objectPath } from './layout.js';
import type { K8sObject, RenderedObject } from './types.js';

export interface BuildOptions {
  /** Environments to render (objects per environment). */
  selected: readonly Environment[];
  /** Every environment (global charts and lineage see all of them). */
  all: readonly Environment[];
  factories: readonly ChartFactory[];
  /** Also run the global factories (gitops/argocd). Default `true`. */
  global?: boolean;
  /** Preview mode: plain Deployments, one replica, no namespace. Default `false`. */
  preview?: boolean;
  /**
   * Also build the preview scenario: the base environment (`PREVIEW_BASE`) in preview mode, into
   * `gitops/preview/<folder>/` (global objects). Default `false`.
   */
  previews?: boolean;
}

interface Folder {
  chart: Chart;
  environment: string | undefined;
  folder: string;
  namespace: string | undefined;
}

export interface BuildOutput {
  perEnvironment: Map<string, RenderedObject[]>;
  global: RenderedObject[];
}

function apiObjects(root: IConstruct): ApiObject[] {
  return root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
}

export function buildObjects(o: BuildOptions): BuildOutput {
  const app = new App({ outdir: '/nonexistent' });
  const folders: Folder[] = [];
  const sourceOf = new Map<ApiObject, string[]>();

  /** Records the sources of objects created by one factory run. */
  /** Records the sources of objects created by one factory run: inputs, factory, builder modules. */
  const attribute = (before: Set<ApiObject>, source: string[]) => {
    for (const obj of apiObjects(app)) {
      if (before.has(obj) || sourceOf.has(obj)) continue;
      sourceOf.set(obj, [...source, ...buildersOf(obj).filter((m) => !source.includes(m))]);
    }
  };
  /** Folders of one scenario: `<prefix><name>` under `environment` (or the root when undefined). */
  const folderFactory = (
    environment: string | undefined,
    defaultNamespace: string | undefined,
    prefix = '',
  ) => {
    const byName = new Map<string, Chart>();
    return (name: string, options: FolderOptions = {}): Chart => {
      const existing = byName.get(name);
      if (existing) return existing;
      const namespace = options.namespace === null ? undefined : (options.namespace ?? defaultNamespace);
      const folder = `${prefix}${name}`;
      const chart = new Chart(app, `${environment ?? 'global'}--${folder.replace(/\//g, '--')}`, {
        disableResourceNameHashes: true,
        ...(namespace ? { namespace } : {}),
      });
      byName.set(name, chart);
      folders.push({ chart, environment, folder, namespace });
      return chart;
    };
  };
  /** One environment through every environment factory. */
  const buildEnvironment = (env: Environment, preview: boolean, folder: EnvironmentContext['folder']) => {
    const ctx: EnvironmentContext = {
      scope: 'environment',
      env,
      environments: o.all,
      namespace: preview ? undefined : environmentNamespace(env.name),
      preview,
      labels: environmentLabels(env.name),
      apps: appRefs(env, preview),
      folder,
    };
    for (const f of o.factories) {
      if (f.scope !== 'environment') continue;
      const before = new Set(apiObjects(app));
      f.build(ctx);
      attribute(before, [env.file, f.source]);
    }
  };

  for (const env of o.selected) {
    const preview = o.preview ?? false;
    buildEnvironment(
      env,
      preview,
      folderFactory(env.name, preview ? undefined : environmentNamespace(env.name)),
    );
  }
  const base = o.previews ? o.all.find((e) => e.name === PREVIEW_BASE) : undefined;
  if (base) buildEnvironment(base, true, folderFactory(undefined, undefined, `${PREVIEW_DIR}/`));
  if (o.global ?? true) {
    const ctx: GlobalContext = {
      scope: 'global',
      environments: o.all,
      folder: folderFactory(undefined, undefined),
    };
    for (const f of o.factories) {
      if (f.scope !== 'global') continue;
      const before = new Set(apiObjects(app));
      f.build(ctx);
      attribute(before, [`${PLATFORM.environmentsDir}/*.yaml`, f.source]);
    }
  }

  const out: BuildOutput = { perEnvironment: new Map(o.selected.map((e) => [e.name, []])), global: [] };
  const seen = new Map<string, string>();
  for (const f of folders) {
    for (const obj of apiObjects(f.chart)) {
      const object = obj.toJson() as K8sObject;
      if (CLUSTER_SCOPED_KINDS.has(object.kind)) delete object.metadata.namespace;
      const path = objectPath(f.environment, f.folder, object);
      const where = `${f.folder}/${obj.node.path}`;
      const clash = seen.get(path);
      if (clash)
        throw new Error(`two objects render to ${path}: ${clash} and ${where}; give them distinct names`);
      seen.set(path, where);
      const rendered: RenderedObject = {
        path,
        object,
        source: sourceOf.get(obj) ?? [],
        folder: f.folder,
        ...(f.environment ? { environment: f.environment } : {}),
      };
      if (f.environment) out.perEnvironment.get(f.environment)!.push(rendered);
      else out.global.push(rendered);
    }
  }
  const byPath = (a: RenderedObject, b: RenderedObject) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  for (const list of out.perEnvironment.values()) list.sort(byPath);
  out.global.sort(byPath);
  return out;
}
