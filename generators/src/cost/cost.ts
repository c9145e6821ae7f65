/**
 * Cost awareness: CPU and memory requested per environment at the minimum and at the maximum
 * autoscaled replica counts (the render summary and the history report print it). Requests, not
 * limits: requests are what the scheduler reserves and what a cluster is sized (and billed) by.
 */

import { bytes, millicores } from '../environments/quantity.js';

export { bytes, millicores };

export interface CostLine {
  /** `Rollout/api`, `Deployment/api`, `Cluster/payday-db`. */
  component: string;
  minReplicas: number;
  maxReplicas: number;
  cpuMillicores: { min: number; max: number };
  memoryBytes: { min: number; max: number };
}

export interface CostSummary {
  env: string;
  lines: CostLine[];
  total: { cpuMillicores: { min: number; max: number }; memoryBytes: { min: number; max: number } };
}

type Obj = { kind: string; metadata: { name: string }; spec?: unknown };
type Requests = { cpu?: string; memory?: string };
/** The few fields of workload, autoscaler and Cluster specs the arithmetic reads. */
interface SpecFields {
  replicas?: number;
  instances?: number;
  resources?: { requests?: Requests };
  template?: { spec?: { containers?: Array<{ resources?: { requests?: Requests } }> } };
  scaleTargetRef?: { name?: string; kind?: string };
}
const fields = (o: Obj): SpecFields => (o.spec ?? {}) as SpecFields;
const WORKLOADS = new Set(['Rollout', 'Deployment', 'StatefulSet']);

function podRequests(spec: SpecFields): { cpu: number; memory: number } {
  const containers = spec.template?.spec?.containers ?? [];
  return containers.reduce(
    (sum, c) => ({
      cpu: sum.cpu + (c.resources?.requests?.cpu ? millicores(c.resources.requests.cpu) : 0),
      memory: sum.memory + (c.resources?.requests?.memory ? bytes(c.resources.requests.memory) : 0),
    }),
    { cpu: 0, memory: 0 },
  );
}

/** Replica bounds of a workload: its own `replicas`, else the HPA or ScaledObject that targets it. */
function bounds(o: Obj, all: readonly Obj[]): [number, number] {
  const spec = fields(o);
  if (typeof spec.replicas === 'number') return [spec.replicas, spec.replicas];
  const targets = (x: Obj) => {
    const ref = fields(x).scaleTargetRef ?? {};
    return ref.name === o.metadata.name && (ref.kind ?? 'Deployment') === o.kind;
  };
  const hpa = all.find((x) => x.kind === 'HorizontalPodAutoscaler' && targets(x));
  if (hpa) {
    const h = hpa.spec as { minReplicas?: number; maxReplicas: number };
    return [h.minReplicas ?? 1, h.maxReplicas];
  }
  const so = all.find((x) => x.kind === 'ScaledObject' && targets(x));
  if (so) {
    const k = so.spec as { minReplicaCount?: number; maxReplicaCount?: number };
    return [k.minReplicaCount ?? 0, k.maxReplicaCount ?? 100];
  }
  return [1, 1]; // Kubernetes' default when replicas is omitted and nothing scales it
}

/**
 * Requests of one environment's rendered objects at minimum and maximum replicas: workloads
 * (bounds from `replicas`, an HPA or a KEDA ScaledObject) and CloudNativePG instances. Jobs are
 * transient and left out. Computed from the rendered output, so it is what the cluster will be asked for.
 */
export function costOfObjects(env: string, objects: readonly Obj[]): CostSummary {
  const lines: CostLine[] = [];
  for (const o of objects) {
    const spec = fields(o);
    let per: { cpu: number; memory: number };
    let min: number;
    let max: number;
    if (WORKLOADS.has(o.kind)) {
      per = podRequests(spec);
      [min, max] = bounds(o, objects);
    } else if (o.kind === 'Cluster' && typeof spec.instances === 'number') {
      const r: Requests = spec.resources?.requests ?? {};
      per = { cpu: r.cpu ? millicores(r.cpu) : 0, memory: r.memory ? bytes(r.memory) : 0 };
      min = max = spec.instances;
    } else {
      continue;
    }
    lines.push({
      component: `${o.kind}/${o.metadata.name}`,
      minReplicas: min,
      maxReplicas: max,
      cpuMillicores: { min: per.cpu * min, max: per.cpu * max },
      memoryBytes: { min: per.memory * min, max: per.memory * max },
    });
  }
  const sum = (pick: (l: CostLine) => { min: number; max: number }) => ({
    min: lines.reduce((n, l) => n + pick(l).min, 0),
    max: lines.reduce((n, l) => n + pick(l).max, 0),
  });
  return {
    env,
    lines,
    total: { cpuMillicores: sum((l) => l.cpuMillicores), memoryBytes: sum((l) => l.memoryBytes) },
  };
}

function cores(m: number): string {
  return `${(m / 1000).toFixed(2)} CPU`;
}
function gib(b: number): string {
  return `${(b / 2 ** 30).toFixed(2)} GiB`;
}

/** One line per environment for the render summary: `prod  requests: 2.15 CPU / 3.25 GiB (min) … (max)`. */
export function formatCost(c: CostSummary): string {
  const t = c.total;
  return (
    `${c.env}: requests ${cores(t.cpuMillicores.min)} / ${gib(t.memoryBytes.min)} at min replicas, ` +
    `${cores(t.cpuMillicores.max)} / ${gib(t.memoryBytes.max)} at max`
  );
}

/** `cost: <env>: …` lines for the render summary, one per rendered environment. */
export function formatCosts(
  environments: ReadonlyArray<{ name: string; objects: ReadonlyArray<{ object: Obj }> }>,
): string {
  return environments
    .map(
      (e) =>
        `cost: ${formatCost(
          costOfObjects(
            e.name,
            e.objects.map((o) => o.object),
          ),
        )}\n`,
    )
    .join('');
}
