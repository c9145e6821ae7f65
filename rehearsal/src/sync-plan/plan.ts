/**
 * The sync plan: every object of a scenario in the order Argo CD v3.5.1 applies it (argo.ts),
 * nested the way the syncs nest. The root Application syncs gitops/argocd (AppProjects,
 * ApplicationSets, platform Applications); each child Application runs its own sync; each
 * ApplicationSet creates Applications that run theirs. Controller outputs appear where their
 * parent is applied.
 */
import type { ClusterObject, K8sObject, Scenario } from '../model.js';
import { ref } from '../model.js';
import { type PlatformComponent, PREREQUISITES } from '../platform/components.js';
import { chartOf, componentFor } from '../platform/provisions.js';
import { isNamespaced } from '../scenario/place.js';
import {
  hasSyncOption,
  kindOrder,
  PHASE_ORDER,
  type Phase,
  PlanError,
  placement,
  restoresApplicationHealth,
  SKIP_DRY_RUN,
} from './argo.js';
import { enablesProgressiveSyncs, rollingStepOf, rollingSyncOf } from './progressive.js';

/** One link of the chain from the bootstrap down to an object. */
export interface Link {
  /** The sync applying this link: `bootstrap` or an Application ref. */
  sync: string;
  ref: string;
  phase: Phase;
  wave: number;
  kind: string;
  /** An Application created by an ApplicationSet: siblings are not ordered... */
  generated?: boolean;
  /**
   * ...unless the ApplicationSet's RollingSync orders them (progressive.ts): the 0-based step
   * that selects this Application, -1 when none does (never synced by the controller).
   */
  rollingStep?: number;
}

export interface PlanStep {
  object: K8sObject;
  /** `rendered` path, `chart` (a platform chart's object), `prerequisite` or the controller. */
  source: string;
  sync: string;
  phase: Phase;
  wave: number;
  hook: boolean;
  deletePolicies: string[];
  skipDryRun: boolean;
  /** Objects that controllers create from this one (expanded origin). */
  outputs: { object: K8sObject; controller: string }[];
  chain: Link[];
}

export interface Sync {
  /** The Application ref. */
  app: string;
  application: K8sObject;
  namespace: string;
  /** The ApplicationSet that created it, if any. */
  generatedBy?: string;
  component?: PlatformComponent;
  /** Application-level `SkipDryRunOnMissingResource=true`. */
  skipDryRun: boolean;
  steps: PlanStep[];
  /** Where the Application object itself sits. */
  chain: Link[];
}

export interface Plan {
  scenario: string;
  prerequisites: PlanStep[];
  syncs: Sync[];
  /** The argocd-cm that restores Application health, when present and applied first. */
  applicationHealth?: PlanStep;
  /** The argocd-cmd-params-cm enabling progressive syncs, applied at the bootstrap. */
  progressiveSyncs?: PlanStep;
  /** Every object, with its step, by `Kind/namespace/name`. */
  index: Map<string, PlanStep>;
}

interface Source {
  path?: string;
  chart?: string;
  directory?: { recurse?: boolean };
  kustomize?: unknown;
}
const sourceOf = (app: K8sObject): Source => ((app.spec as { source?: Source }).source ?? {}) as Source;
const destinationNamespace = (app: K8sObject): string =>
  (app.spec as { destination?: { namespace?: string } }).destination?.namespace ?? 'default';
const appSyncOptions = (app: K8sObject): string[] =>
  (app.spec as { syncPolicy?: { syncOptions?: string[] } }).syncPolicy?.syncOptions ?? [];

/** An Application's source folder relative to gitops/, read once per Application and plan. */
interface Folder {
  dir: string;
  prefix: string;
  recurse: boolean;
}
type Folders = Map<K8sObject, Folder | null>;
const folderOf = (app: K8sObject, folders: Folders): Folder | null => {
  let folder = folders.get(app);
  if (folder === undefined) {
    const source = sourceOf(app);
    const dir = source.path ? source.path.replace(/^gitops\//, '') : '';
    folder = source.path
      ? { dir, prefix: `${dir}/`, recurse: !!source.directory?.recurse || !!source.kustomize }
      : null;
    folders.set(app, folder);
  }
  return folder;
};

/** Which Application's source covers a rendered path (the longest source path wins). */
const ownerOf = (
  path: string,
  apps: K8sObject[],
  kustomized: Set<string>,
  folders: Folders,
): K8sObject | undefined => {
  let best: K8sObject | undefined;
  let bestLength = -1;
  for (const app of apps) {
    const folder = folderOf(app, folders);
    if (!folder) continue;
    const { dir, prefix } = folder;
    if (!path.startsWith(prefix)) continue;
    const nested = path.indexOf('/', prefix.length) >= 0;
    if (nested && !folder.recurse && !kustomized.has(dir)) continue;
    if (dir.length > bestLength) {
      best = app;
      bestLength = dir.length;
    }
  }
  return best;
};

const step = (object: K8sObject, source: string, sync: string, parentChain: Link[]): PlanStep | undefined => {
  const where = placement(object);
  if (!where) return undefined;
  const r = ref(object);
  return {
    object,
    source,
    sync,
    ...where,
    skipDryRun: hasSyncOption(object, SKIP_DRY_RUN),
    outputs: [],
    chain: [...parentChain, { sync, ref: r, phase: where.phase, wave: where.wave, kind: object.kind }],
  };
};

/** gitops-engine/pkg/sync/sync_tasks.go `syncTasks.Less`. */
const byArgoOrder = (a: PlanStep, b: PlanStep): number =>
  PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase] ||
  a.wave - b.wave ||
  kindOrder(a.object.kind) - kindOrder(b.object.kind) ||
  (a.object.metadata.name < b.object.metadata.name
    ? -1
    : a.object.metadata.name > b.object.metadata.name
      ? 1
      : 0);

const chartObjects = (component: PlatformComponent, app: K8sObject): K8sObject[] => {
  const namespace = destinationNamespace(app);
  const values = ((app.spec as { source?: { helm?: { valuesObject?: Record<string, unknown> } } }).source
    ?.helm?.valuesObject ?? {}) as Record<string, unknown>;
  return [
    ...component.crds.kinds.map((k) => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${k.kind}.${k.group}`, annotations: { 'payday.dev/source': component.crds.source } },
      spec: { group: k.group, names: { kind: k.kind } },
    })),
    ...component.services(values).map((s) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: s.name, namespace, annotations: { 'payday.dev/source': s.source } },
      spec: { ports: s.ports.map((port) => ({ port })) },
    })),
    ...component.secrets(values).map((s) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: s.name, namespace, annotations: { 'payday.dev/source': s.source } },
    })),
  ];
};

/**
 * The plan reads what the controllers create (generated Applications, CloudNativePG's Secrets
 * and Services, an ExternalSecret's Secret, workloads' Pods) from the scenario's expanded
 * objects (rehearsal/src/expand, scenario/build.ts) and never derives them itself. A scenario
 * with no expanded object at all, yet an object whose controller always creates some (an
 * ApplicationSet, a CloudNativePG Cluster, anything with a pod template), skipped that step: the
 * plan would miss every controller output, so it fails closed. A scenario whose controllers
 * create nothing (a Merge ExternalSecret, Helm-chart Applications) has nothing to miss.
 */
const alwaysCreates = (o: K8sObject): boolean => {
  const spec = (o.spec ?? {}) as { template?: unknown; jobTemplate?: unknown };
  return (
    o.kind === 'ApplicationSet' ||
    (o.kind === 'Cluster' && o.apiVersion.startsWith('postgresql.cnpg.io/')) ||
    spec.template !== undefined ||
    spec.jobTemplate !== undefined
  );
};
const assertExpanded = (scenario: Scenario): void => {
  if (scenario.objects.some((o) => o.origin.kind === 'expanded')) return;
  const parent = scenario.objects.find((o) => alwaysCreates(o.object))?.object;
  if (!parent) return;
  throw new PlanError(
    `${scenario.name}: ${ref(parent)} always has its controller create objects, but the scenario holds no expanded object: build it with buildScenarios (or run expandObjects) first; the sync plan does not derive controller outputs`,
  );
};

/**
 * The sync-plan and platform checks both read a scenario's plan: it is built once per scenario
 * and reused while the scenario holds the very same objects (a scenario whose object list
 * changed gets a new plan). Readers never modify a plan.
 */
const plans = new WeakMap<Scenario, { objects: ClusterObject[]; plan?: Plan; error?: PlanError }>();

export const buildPlan = (scenario: Scenario): Plan => {
  const cached = plans.get(scenario);
  if (
    cached &&
    cached.objects.length === scenario.objects.length &&
    cached.objects.every((o, i) => o === scenario.objects[i])
  ) {
    if (cached.error) throw cached.error;
    return cached.plan as Plan;
  }
  const objects = [...scenario.objects];
  try {
    const plan = planOf(scenario);
    plans.set(scenario, { objects, plan });
    return plan;
  } catch (e) {
    if (e instanceof PlanError) plans.set(scenario, { objects, error: e });
    throw e;
  }
};

const planOf = (scenario: Scenario): Plan => {
  assertExpanded(scenario);
  const objects: ClusterObject[] = [...scenario.objects];
  // A folder with a kustomization.yaml (gitops/preview) is a Kustomize app: nested files count.
  const kustomized = new Set(
    objects.flatMap((o) =>
      o.origin.kind === 'rendered' && o.object.kind === 'Kustomization'
        ? [o.origin.path.split('/').slice(0, -1).join('/')]
        : [],
    ),
  );

  const apps = objects.filter((o) => o.object.kind === 'Application').map((o) => o.object);
  // Every rendered object is matched against every Application's folder: each read once.
  const folders: Folders = new Map();
  // Argo CD sets the destination namespace on namespaced objects that name none.
  for (const [i, o] of objects.entries()) {
    if (o.origin.kind !== 'rendered' || o.object.metadata.namespace || isClusterScoped(o.object)) continue;
    const owner = ownerOf(o.origin.path, apps, kustomized, folders);
    if (!owner || o.object.kind === 'Kustomization') continue;
    const namespace = destinationNamespace(owner);
    objects[i] = { ...o, object: { ...o.object, metadata: { ...o.object.metadata, namespace } } };
  }
  const root = objects.find(
    (o) =>
      o.object.kind === 'Application' &&
      o.origin.kind === 'rendered' &&
      ownerOf(o.origin.path, [o.object], kustomized, folders) === o.object,
  )?.object;
  if (!root) throw new PlanError(`${scenario.name}: no root Application (one that syncs its own folder)`);

  const index = new Map<string, PlanStep>();
  const prerequisites: PlanStep[] = [];
  const boot = (object: K8sObject, source: string): PlanStep => {
    const s = step(object, source, 'bootstrap', []) as PlanStep;
    // Prerequisites exist before the root Application is applied.
    if (object !== root) (s.chain[0] as Link).wave = -1;
    prerequisites.push(s);
    index.set(ref(object), s);
    return s;
  };
  for (const k of PREREQUISITES.crds.kinds) {
    boot(
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `${k.kind}.${k.group}` },
        spec: { group: k.group, names: { kind: k.kind } },
      },
      PREREQUISITES.crds.source,
    );
  }
  for (const p of PREREQUISITES.objects) {
    const [kind, ...rest] = p.ref.split('/');
    const name = rest.pop() as string;
    boot(
      {
        apiVersion: kind === 'ClusterSecretStore' ? 'external-secrets.io/v1' : 'v1',
        kind: kind as string,
        metadata: { name, ...(rest[0] ? { namespace: rest[0] } : {}) },
      },
      p.source,
    );
  }
  // scripts/cluster/cluster.sh applies the root's AppProject with it: the root cannot sync without.
  const rootProject = (root.spec as { project?: string }).project;
  const project = objects.find(
    (o) =>
      o.object.kind === 'AppProject' &&
      o.object.metadata.name === rootProject &&
      o.origin.kind === 'rendered',
  );
  if (project) boot(project.object, 'kubectl apply (scripts/cluster/cluster.sh)');
  // scripts/cluster/cluster.sh applies argocd-cmd-params-cm and restarts the ApplicationSet
  // controller before the root: the controller reads the flag only when it starts (progressive.ts).
  const params = objects.find((o) => o.origin.kind === 'rendered' && enablesProgressiveSyncs(o.object));
  const progressiveSyncs = params
    ? boot(
        params.object,
        'kubectl apply --server-side, then restart argocd-applicationset-controller (scripts/cluster/cluster.sh)',
      )
    : undefined;
  const rootStep = boot(root, 'kubectl apply (scripts/cluster/cluster.sh)');

  // Which objects each Application applies.
  const members = new Map<K8sObject, ClusterObject[]>();
  const outputsOf = new Map<string, ClusterObject[]>();
  for (const o of objects) {
    if (o.object === root) continue;
    if (o.origin.kind === 'expanded') {
      if (o.object.kind === 'Application') continue;
      const outputs = outputsOf.get(o.origin.parent);
      if (outputs) outputs.push(o);
      else outputsOf.set(o.origin.parent, [o]);
      continue;
    }
    const owner = ownerOf(o.origin.path, apps, kustomized, folders);
    if (!owner) continue;
    const list = members.get(owner);
    if (list) list.push(o);
    else members.set(owner, [o]);
  }

  const syncs: Sync[] = [];
  const rootRef = ref(root);
  let applicationHealth: PlanStep | undefined;
  const visit = (app: K8sObject, chain: Link[], generatedBy?: string): void => {
    const appRef = ref(app);
    const namespace = destinationNamespace(app);
    const component = sourceOf(app).chart ? componentFor(app) : undefined;
    const placed: PlanStep[] = [];
    const entries: { object: K8sObject; source: string }[] = (members.get(app) ?? []).map((o) => ({
      object:
        o.object.metadata.namespace || isClusterScoped(o.object)
          ? o.object
          : { ...o.object, metadata: { ...o.object.metadata, namespace } },
      source: o.origin.kind === 'rendered' ? o.origin.path : 'expanded',
    }));
    if (component) {
      entries.push(
        ...chartObjects(component, app).map((object) => ({ object, source: `chart ${chartOf(app)}` })),
      );
    }
    for (const entry of entries) {
      if (entry.object.kind === 'Kustomization') continue;
      const s = step(entry.object, entry.source, appRef, chain);
      if (!s) continue;
      placed.push(s);
    }
    placed.sort(byArgoOrder);
    const sync: Sync = {
      app: appRef,
      application: app,
      namespace,
      ...(generatedBy ? { generatedBy } : {}),
      ...(component ? { component } : {}),
      skipDryRun: appSyncOptions(app).includes(SKIP_DRY_RUN),
      steps: placed,
      chain,
    };
    syncs.push(sync);
    // CreateNamespace=true: the controller adds the destination Namespace as the first task,
    // created before the dry-run (argo-cd v3.5.1 controller/sync.go WithNamespaceModifier;
    // gitops-engine sync_context.go getNamespaceCreationTask).
    if (appSyncOptions(app).includes('CreateNamespace=true') && !index.has(`Namespace/${namespace}`)) {
      const object: K8sObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };
      const link: Link = {
        sync: appRef,
        ref: `Namespace/${namespace}`,
        phase: 'PreSync',
        wave: Number.NEGATIVE_INFINITY,
        kind: 'Namespace',
      };
      index.set(`Namespace/${namespace}`, {
        object,
        source: 'CreateNamespace=true',
        sync: appRef,
        phase: 'PreSync',
        wave: Number.NEGATIVE_INFINITY,
        hook: false,
        deletePolicies: [],
        skipDryRun: false,
        outputs: [],
        chain: [...chain, link],
      });
    }
    for (const s of placed) {
      const key = (s.chain.at(-1) as Link).ref; // ref(s.object), as step() wrote it
      if (!index.has(key)) index.set(key, s);
      if (appRef === rootRef && restoresApplicationHealth(s.object)) applicationHealth = s;
      for (const output of outputsOf.get(key) ?? []) {
        const origin = output.origin as { controller: string };
        s.outputs.push({ object: output.object, controller: origin.controller });
        const outKey = ref(output.object);
        if (!index.has(outKey))
          index.set(outKey, { ...s, object: output.object, source: origin.controller, outputs: [] });
      }
    }
    for (const s of placed) {
      if (s.object.kind === 'Application') visit(s.object, s.chain);
      if (s.object.kind === 'ApplicationSet') {
        const rolling = progressiveSyncs ? rollingSyncOf(s.object) : undefined;
        const setRef = (s.chain.at(-1) as Link).ref;
        for (const o of objects) {
          if (o.object.kind !== 'Application' || o.origin.kind !== 'expanded' || o.origin.parent !== setRef)
            continue;
          const link: Link = {
            sync: setRef,
            ref: ref(o.object),
            phase: 'Sync',
            wave: 0,
            kind: 'Application',
            generated: true,
            ...(rolling ? { rollingStep: rollingStepOf(rolling, o.object) } : {}),
          };
          visit(o.object, [...s.chain, link], setRef);
        }
      }
    }
  };
  visit(root, rootStep.chain);
  // The customization counts only if it is in place before the first child Application.
  if (applicationHealth) {
    const first = syncs[0]?.steps.find((s) => s.object.kind === 'Application');
    if (first && compareWave(applicationHealth, first) >= 0) applicationHealth = undefined;
  }
  return {
    scenario: scenario.name,
    prerequisites,
    syncs,
    ...(applicationHealth ? { applicationHealth } : {}),
    ...(progressiveSyncs ? { progressiveSyncs } : {}),
    index,
  };
};

/** Cluster-scoped kinds take no destination namespace (the scenario builder's own list). */
const isClusterScoped = (o: K8sObject): boolean => !isNamespaced(o);

const compareWave = (a: Pick<PlanStep, 'phase' | 'wave'>, b: Pick<PlanStep, 'phase' | 'wave'>): number =>
  PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase] || a.wave - b.wave;

export type Order = { order: 'before' | 'with' | 'after' } | { order: 'unordered'; why: string };

/**
 * Whether `x` is in place before `y` is applied, from what Argo CD waits for: within one sync,
 * a lower phase or wave (it waits for health and hook completion between them); across
 * Applications, only through a parent that waits for the child Application's health, which
 * needs the argocd-cm customization (`applicationHealth`). Siblings generated by one
 * ApplicationSet are ordered only by its RollingSync steps, when progressive syncs are enabled
 * (progressive.ts): a later step syncs once every Application of the earlier ones is Synced and
 * Healthy.
 */
export const order = (plan: Plan, x: Link[], y: Link[]): Order => {
  let i = 0;
  while (i < x.length && i < y.length && x[i]?.ref === y[i]?.ref) i++;
  if (i === x.length) return { order: i === y.length ? 'with' : 'before' };
  if (i === y.length) return { order: 'after' };
  const a = x[i] as Link;
  const b = y[i] as Link;
  if (a.sync === 'bootstrap' && b.sync !== 'bootstrap') return { order: 'before' };
  if (a.generated || b.generated) {
    const sa = a.rollingStep ?? -1;
    const sb = b.rollingStep ?? -1;
    if (a.generated && b.generated && a.sync === b.sync && sa >= 0 && sb >= 0) {
      if (sa < sb) return { order: 'before' };
      if (sa > sb) return { order: 'after' };
      return {
        order: 'unordered',
        why: `${a.ref} and ${b.ref} are in the same RollingSync step (${sa + 1}) of ${a.sync}`,
      };
    }
    return {
      order: 'unordered',
      why: `${a.ref} and ${b.ref} are generated by ${a.sync} and sync independently${
        a.sync === b.sync && a.rollingStep === undefined ? ` (${unorderedBecause(plan)})` : ''
      }`,
    };
  }
  const d = compareWave(a, b);
  if (d > 0) return { order: 'after' };
  const leaf = i === x.length - 1;
  if (d === 0) {
    return leaf
      ? { order: 'with' }
      : { order: 'unordered', why: `${a.ref} is applied in the same wave as ${b.ref}` };
  }
  if (leaf) return { order: 'before' };
  if (a.kind === 'Application') {
    return plan.applicationHealth
      ? { order: 'before' }
      : {
          order: 'unordered',
          why: `${a.sync} applies ${a.ref} in ${a.phase} wave ${a.wave} and ${b.ref} in ${b.phase} wave ${b.wave}, but Argo CD does not wait for an Application's health (no argoproj.io/Application health check in argocd-cm)`,
        };
  }
  return {
    order: 'unordered',
    why: `${a.sync} waits for ${a.ref} itself, not for the syncs of the Applications it generates`,
  };
};

const unorderedBecause = (plan: Plan): string =>
  plan.progressiveSyncs
    ? 'its strategy has no RollingSync steps'
    : 'no RollingSync: progressive syncs are not enabled in argocd-cmd-params-cm';

export const describe = (s: Pick<PlanStep, 'sync' | 'phase' | 'wave' | 'hook'>): string =>
  s.sync === 'bootstrap'
    ? 'before the root Application'
    : `${s.sync}, ${s.phase}${s.hook ? ' hook' : ''} wave ${s.wave}`;
