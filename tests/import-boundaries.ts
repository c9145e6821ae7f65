/**
 * The package boundaries the code keeps (docs/design/architecture.md §Conventions), checked on the
 * real import graph. dependency-cruiser parses every TypeScript file and resolves each import
 * the way Node does (package.json "exports" included); this module only reads the graph it returns:
 *
 *  - a workspace reaches another workspace only by package name, never by a relative path into its
 *    folder, and only through a subpath its package.json "exports" lists (anything else does not
 *    resolve);
 *  - a workspace imports only the packages its package.json declares (dependencies,
 *    devDependencies or peerDependencies), workspaces and registry packages alike; its tests and
 *    test support may also use the root package's devDependencies (the shared test tooling). The
 *    root folders (bench/, tests/, scripts/) belong to the root package: the root package.json
 *    declares the registry packages they import, and they may use every workspace, through its
 *    exports like everyone else;
 *  - no import cycle: not between files, not between the top-level folders of one package's src/,
 *    and not between packages. Type-only imports are erased at build time, so they close no cycle
 *    between files or folders; between packages every import counts, because package.json must
 *    declare it either way;
 *  - a folder's code never imports the layers above it (LayerRule); its tests may.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cruise } from 'dependency-cruiser';

/** `from` must not import any of `above` (path prefixes relative to the repository root). */
export interface LayerRule {
  from: string;
  above: string[];
  why: string;
}

/** Folders of the root package that are checked beside the workspaces. */
const ROOT_FOLDERS = ['bench', 'tests', 'scripts'];

const TEST_FILE = /\.test\.tsx?$/;
/** Test support: a `testing/` folder or a `testing.ts` module. */
const TEST_SUPPORT = /\/testing(\/|\.ts$)/;

interface Workspace {
  dir: string;
  name: string;
  declares: Set<string>;
}

interface Edge {
  from: string;
  to: string;
  specifier: string;
  typeOnly: boolean;
  unresolved: boolean;
}

interface PackageJson {
  name: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const declared = (pkg: PackageJson): Set<string> =>
  new Set([pkg.dependencies, pkg.devDependencies, pkg.peerDependencies].flatMap((d) => Object.keys(d ?? {})));

const readPackage = (file: string): PackageJson => JSON.parse(readFileSync(file, 'utf8')) as PackageJson;

function workspacesOf(root: string): Workspace[] {
  return (readPackage(join(root, 'package.json')).workspaces ?? []).map((dir) => {
    const pkg = readPackage(join(root, dir, 'package.json'));
    return { dir, name: pkg.name, declares: declared(pkg) };
  });
}

/** The workspace a repository-relative path lies in, or undefined for the root package. */
function owner(path: string, workspaces: Workspace[]): Workspace | undefined {
  return workspaces.find((w) => path.startsWith(`${w.dir}/`));
}

/** The package name a bare specifier names (`@scope/name/sub` → `@scope/name`). */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

async function importEdges(root: string, folders: string[]): Promise<Edge[]> {
  const result = await cruise(
    folders,
    {
      baseDir: root,
      // Build output (`dist/`, git-ignored: the api bench bundles the server there) is not source.
      exclude: { path: ['^gitops/', '^bench/results/', '/imports/', '(^|/)dist/'] },
      doNotFollow: { path: ['(^|/)node_modules/'] },
      tsPreCompilationDeps: true,
    },
    {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types'],
    },
    { tsConfig: { fileName: join(root, 'tsconfig.json') } },
  );
  if (typeof result.output === 'string') throw new Error('dependency-cruiser returned text, not a graph');
  return result.output.modules.flatMap((m) =>
    m.dependencies
      .filter((d) => !d.coreModule)
      .map((d) => ({
        from: m.source,
        to: d.resolved,
        specifier: d.module,
        typeOnly: d.dependencyTypes.includes('type-only'),
        unresolved: d.couldNotResolve,
      })),
  );
}

/** Strongly connected components with more than one node (Tarjan), each as a closed path. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

function cycleMessages(kind: string, edges: Array<[string, string]>): string[] {
  const graph = new Map<string, Set<string>>();
  for (const [a, b] of edges) {
    if (a === b) continue;
    graph.set(a, (graph.get(a) ?? new Set()).add(b));
  }
  return cycles(graph).map((members) => `${kind} cycle: ${members.join(' <-> ')}`);
}

/** Every boundary crossed in the repository at `root`, one sorted line each (empty when clean). */
export async function importBoundaryViolations(root: string, layers: LayerRule[] = []): Promise<string[]> {
  const workspaces = workspacesOf(root);
  const folders = [...workspaces.map((w) => w.dir), ...ROOT_FOLDERS.filter((f) => existsSync(join(root, f)))];
  const all = await importEdges(root, folders);
  const violations = new Set<string>();
  const rootDeclares = declared(readPackage(join(root, 'package.json')));
  for (const edge of all) {
    const bare = !edge.specifier.startsWith('.') && !edge.specifier.startsWith('/');
    if (!bare || !edge.to.includes('node_modules/')) continue;
    const name = packageName(edge.specifier);
    const from = owner(edge.from, workspaces);
    // The root package's devDependencies are the shared test tooling (vitest, fast-check, ...):
    // a workspace's tests and test support may use them, its shipped code may not.
    const mayUseRoot = !from || TEST_FILE.test(edge.from) || TEST_SUPPORT.test(edge.from);
    if (name.startsWith('@types/') || from?.declares.has(name) || (mayUseRoot && rootDeclares.has(name)))
      continue;
    violations.add(
      `undeclared dependency: ${edge.from} imports ${edge.specifier}, but ${from ? `${from.dir}/package.json` : 'the root package.json'} does not declare ${name}`,
    );
  }
  const edges = all.filter((e) => !e.to.includes('node_modules/'));
  const byName = new Map(workspaces.map((w) => [w.name, w]));

  for (const edge of edges) {
    const from = owner(edge.from, workspaces);
    const fromLabel = from ? `${from.dir}/package.json` : 'package.json';
    const bare = !edge.specifier.startsWith('.') && !edge.specifier.startsWith('/');
    const named = bare ? byName.get(packageName(edge.specifier)) : undefined;
    if (edge.unresolved) {
      if (named)
        violations.add(
          `not exported: ${edge.from} imports ${edge.specifier}, a subpath ${named.dir}/package.json "exports" does not list`,
        );
      continue;
    }
    const to = owner(edge.to, workspaces);
    if (to && to !== from) {
      if (!bare)
        violations.add(
          `relative import into another workspace: ${edge.from} imports ${edge.specifier} (${edge.to}); import it as ${to.name} through its exports`,
        );
      else if (from && !from.declares.has(to.name))
        violations.add(
          `undeclared workspace dependency: ${edge.from} imports ${edge.specifier}, but ${fromLabel} does not declare ${to.name}`,
        );
    }
    // Tests may reach up to the code that uses their subject (a loader test that renders).
    for (const layer of TEST_FILE.test(edge.from) ? [] : layers) {
      const above = layer.above.find((a) => edge.to.startsWith(a));
      if (edge.from.startsWith(layer.from) && above)
        violations.add(
          `upward import: ${edge.from} imports ${edge.to} (${layer.from} must not import ${above}: ${layer.why})`,
        );
    }
  }

  const valueEdges = edges.filter((e) => !e.typeOnly && !e.unresolved);
  for (const m of cycleMessages(
    'file',
    valueEdges.map((e) => [e.from, e.to]),
  ))
    violations.add(m);

  // Folders: the first level under each workspace's src/ (a file directly in src/ is its own node).
  const folderOf = (path: string): string | undefined => {
    const w = owner(path, workspaces);
    if (!w || !path.startsWith(`${w.dir}/src/`)) return undefined;
    const rest = path.slice(w.dir.length + 5).split('/');
    return `${w.dir}/src/${rest[0]}`;
  };
  // Tests import the code under test and its fixtures from any folder; they are no layer.
  const folderEdges = valueEdges
    .filter((e) => !TEST_FILE.test(e.from))
    .flatMap((e): Array<[string, string]> => {
      const a = folderOf(e.from);
      const b = folderOf(e.to);
      return a && b && owner(e.from, workspaces) === owner(e.to, workspaces) ? [[a, b]] : [];
    });
  for (const m of cycleMessages('folder', folderEdges)) violations.add(m);

  const packageEdges = edges.flatMap((e): Array<[string, string]> => {
    const a = owner(e.from, workspaces);
    const b = owner(e.to, workspaces);
    return a && b && !e.unresolved ? [[a.name, b.name]] : [];
  });
  for (const m of cycleMessages('package', packageEdges)) violations.add(m);

  return [...violations].sort();
}
