/**
 * The platform-dependency check (docs/rehearsal.md, "Platform dependencies"): every platform
 * Application installs a chart the rehearsal knows (components.ts), and every reference our
 * objects make to a platform Service, secret store or Secret names something in the plan.
 */
import type { Finding, K8sObject, RehearsalCheck, RehearsalRun, Scenario } from '../model.js';
import { ref } from '../model.js';
import { chartOf, componentFor } from '../platform/provisions.js';
import { PlanError } from './argo.js';
import { buildPlan, type Plan } from './plan.js';

const error = (subject: string, message: string): Finding => ({
  check: 'platform',
  severity: 'error',
  subject,
  message,
});

/** `name.namespace.svc[.cluster.local][:port]`, with or without a scheme. */
const SERVICE_DNS =
  /(?:(https?):\/\/)?\b([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(?:\.cluster\.local)?\b(?::(\d+))?/g;

export interface ServiceReference {
  name: string;
  namespace: string;
  port?: number;
  text: string;
  path: string;
}

/** Every in-cluster Service DNS name in an object's strings, with the field it is in. */
export const serviceReferences = (o: unknown, path = ''): ServiceReference[] => {
  const found: ServiceReference[] = [];
  collectReferences(o, path ? [path] : [], found);
  return found;
};

/** Found references by object, kept for one rehearsal (platformCheck) or one plan. */
type References = Map<K8sObject, readonly ServiceReference[]>;

/**
 * The references of an object's spec (or data), once per object: the scenarios of a rehearsal
 * share the very same objects for gitops/argocd and gitops/platform (scenario/build.ts), and
 * nothing changes an object once a scenario holds it.
 */
function referencesOf(o: K8sObject, known: References): readonly ServiceReference[] {
  let refs = known.get(o);
  if (!refs) {
    refs = serviceReferences(o.spec ?? o.data ?? {}, o.spec ? 'spec' : 'data');
    known.set(o, refs);
  }
  return refs;
}

/** Per rehearse() call: a plain Map, dropped with the call (model.ts RehearsalRun). */
const referencesPerRun = new WeakMap<RehearsalRun, References>();

/** A field path segment: a key, or ARRAY for "each element of". */
const ARRAY = null;

/** `spec.template[].name`: the first key bare, later keys after a dot, `[]` for an array level. */
const joinPath = (path: readonly (string | typeof ARRAY)[]): string =>
  path.map((s, i) => (s === ARRAY ? '[]' : i ? `.${s}` : s)).join('');

/**
 * Depth first, keys in object order: pushes into one list instead of building one per node, and
 * keeps the field path as a stack of segments (the keys themselves, no string built per key),
 * joined only for a string that holds a reference.
 */
function collectReferences(o: unknown, path: (string | typeof ARRAY)[], found: ServiceReference[]): void {
  if (typeof o === 'string') {
    // Every match holds `.svc`: most strings do not, and the scan is the check's main cost.
    if (!o.includes('.svc')) return;
    for (const m of o.matchAll(SERVICE_DNS)) {
      const [text, scheme, name, , namespace, , port] = m;
      // The API server's own Service (Argo CD destinations).
      if (name === 'kubernetes' && namespace === 'default') continue;
      const resolved = port ? Number(port) : scheme === 'http' ? 80 : scheme === 'https' ? 443 : undefined;
      found.push({
        name: name as string,
        namespace: namespace as string,
        ...(resolved ? { port: resolved } : {}),
        text: text as string,
        path: joinPath(path),
      });
    }
    return;
  }
  if (Array.isArray(o)) {
    path.push(ARRAY);
    for (let i = 0; i < o.length; i++) collectReferences(o[i], path, found);
    path.pop();
    return;
  }
  if (o && typeof o === 'object') {
    // `for…in`: no key array per object (JSON objects have no inherited keys).
    for (const k in o) {
      path.push(k);
      collectReferences((o as Record<string, unknown>)[k], path, found);
      path.pop();
    }
  }
}

const portsOf = (service: K8sObject): number[] | undefined => {
  const ports = (service.spec as { ports?: { port: number }[] } | undefined)?.ports;
  return ports?.map((p) => p.port);
};

const chartsIn = (plan: Plan, namespace: string, kind: 'Service' | 'Secret'): string[] =>
  plan.syncs
    .filter((s) => s.component && s.namespace === namespace)
    .map((s) => {
      const names = s.steps.filter((x) => x.object.kind === kind).map((x) => x.object.metadata.name);
      return `${s.app} (chart ${chartOf(s.application)}) installs there and creates ${names.length ? names.join(', ') : `no ${kind}`} with the values we pass`;
    });

export const checkPlatform = (plan: Plan, references: References = new Map()): Finding[] => {
  const findings: Finding[] = [];
  for (const sync of plan.syncs) {
    const source = (sync.application.spec as { source?: { chart?: string } }).source;
    if (source?.chart && !componentFor(sync.application)) {
      findings.push(
        error(
          sync.app,
          `${sync.app} installs chart ${chartOf(sync.application)}, which rehearsal/src/platform/components.ts does not describe: the rehearsal cannot tell what it provides`,
        ),
      );
    }
    for (const step of sync.steps) {
      if (step.source.startsWith('chart ')) continue;
      const subject = ref(step.object);
      for (const r of referencesOf(step.object, references)) {
        const service = plan.index.get(`Service/${r.namespace}/${r.name}`);
        if (!service) {
          const hint = chartsIn(plan, r.namespace, 'Service');
          findings.push(
            error(
              subject,
              `${subject} references ${r.text} (${r.path}), but no Service ${r.name} in ${r.namespace} is in the plan${hint.length ? `: ${hint.join('; ')}` : ''}`,
            ),
          );
          continue;
        }
        const ports = portsOf(service.object);
        if (r.port !== undefined && ports && !ports.includes(r.port)) {
          findings.push(
            error(
              subject,
              `${subject} references ${r.text} (${r.path}), but Service ${r.namespace}/${r.name} (${service.source}) serves ports ${ports.join(', ')}, not ${r.port}`,
            ),
          );
        }
      }
      if (step.object.kind === 'ExternalSecret') findings.push(...externalSecretFindings(plan, step.object));
    }
  }
  return findings;
};

/** External Secrets v2.9.0 apis/externalsecrets/v1/externalsecret_types.go. */
const externalSecretFindings = (plan: Plan, o: K8sObject): Finding[] => {
  const findings: Finding[] = [];
  const subject = ref(o);
  const spec = o.spec as {
    secretStoreRef?: { name: string; kind?: string };
    target?: { name?: string; creationPolicy?: string };
  };
  const store = spec.secretStoreRef;
  if (store) {
    const kind = store.kind ?? 'SecretStore';
    const key =
      kind === 'ClusterSecretStore'
        ? `${kind}/${store.name}`
        : `${kind}/${o.metadata.namespace}/${store.name}`;
    if (!plan.index.has(key)) {
      findings.push(error(subject, `${subject} reads from ${key}, which nothing in the plan provides`));
    }
  }
  // Merge writes into a Secret that something else must create (creationPolicy docs).
  if (spec.target?.creationPolicy === 'Merge') {
    const key = `Secret/${o.metadata.namespace}/${spec.target.name ?? o.metadata.name}`;
    const owner = plan.index.get(key);
    if (!owner) {
      findings.push(
        error(
          subject,
          `${subject} merges into ${key} (creationPolicy: Merge), which nothing in the plan creates: ${chartsIn(plan, o.metadata.namespace ?? '', 'Secret').join('; ') || 'no chart installs into that namespace'}`,
        ),
      );
    }
  }
  return findings;
};

export const platformCheck: RehearsalCheck = {
  name: 'platform',
  run(scenario: Scenario, rehearsal?: RehearsalRun): Finding[] {
    let references: References | undefined;
    if (rehearsal) {
      references = referencesPerRun.get(rehearsal) ?? new Map();
      referencesPerRun.set(rehearsal, references);
    }
    try {
      return checkPlatform(buildPlan(scenario), references);
    } catch (e) {
      if (e instanceof PlanError) return [error(scenario.name, e.message)];
      throw e;
    }
  },
};
