import type { AppName, OpsContext } from './context.js';
import type { OpsSettings } from './settings.js';

/**
 * Cost awareness: CPU and memory requested per environment at the minimum and at the maximum
 * autoscaled replica counts (the render summary and the history report print it). Requests, not
 * limits: requests are what the scheduler reserves and what a cluster is sized (and billed) by.
 */

const CPU = /^(\d+(?:\.\d+)?)(m?)$/;
const MEM = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const MEM_FACTOR: Record<string, number> = {
  '': 1,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

/** CPU quantity → millicores (`250m` → 250, `1.5` → 1500). */
export function millicores(q: string): number {
  const m = CPU.exec(q);
  if (!m) throw new Error(`unsupported CPU quantity "${q}"`);
  return m[2] === 'm' ? Number(m[1]) : Math.round(Number(m[1]) * 1000);
}

/** Memory quantity → bytes (`256Mi` → 268435456). */
export function bytes(q: string): number {
  const m = MEM.exec(q);
  if (!m) throw new Error(`unsupported memory quantity "${q}"`);
  return Math.round(Number(m[1]) * MEM_FACTOR[m[2] ?? '']!);
}

export interface CostLine {
  component: AppName | 'database';
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

export function costSummary(ctx: OpsContext, s: OpsSettings): CostSummary {
  const line = (
    component: CostLine['component'],
    cpu: string,
    mem: string,
    min: number,
    max: number,
  ): CostLine => ({
    component,
    minReplicas: min,
    maxReplicas: max,
    cpuMillicores: { min: millicores(cpu) * min, max: millicores(cpu) * max },
    memoryBytes: { min: bytes(mem) * min, max: bytes(mem) * max },
  });
  const lines = (['api', 'frontend', 'worker'] as const).map((app) => {
    const a = ctx.apps[app];
    return line(app, a.requests.cpu, a.requests.memory, a.minReplicas, a.maxReplicas);
  });
  const dbInstances = ctx.mode === 'preview' ? 1 : s.database.instances;
  lines.push(line('database', s.database.cpu, s.database.memory, dbInstances, dbInstances));
  const sum = (pick: (l: CostLine) => { min: number; max: number }) => ({
    min: lines.reduce((n, l) => n + pick(l).min, 0),
    max: lines.reduce((n, l) => n + pick(l).max, 0),
  });
  return {
    env: ctx.env,
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
