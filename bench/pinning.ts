/**
 * CPU pinning for client/server suites: the server side (PostgreSQL, the API process, a bare
 * baseline server) on one set of cores, the load generator (autocannon in the bench process,
 * pgbench) on another, so neither steals the other's core and the ratio measures the software,
 * not the scheduler (docs/design/testing.md §Benchmark method: "Pin the server and the
 * load generator with `taskset`"). Uses `taskset` from util-linux; where it is missing or the
 * machine has a single core, pinning is off and the plan says why (the results file records it).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export interface CpuPlan {
  enabled: boolean;
  /** taskset core lists, e.g. `0` and `1` or `0` and `1-3`. Empty when pinning is off. */
  load: string;
  server: string;
  /** One line for the results file: which cores do what, or why nothing is pinned. */
  description: string;
}

export function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Core 0 for the load generator, the rest for the servers: on the 2-core CI machine that is one
 * core each. The servers get the larger share because they do the work being measured.
 */
export function planCpus(options: { disabled?: boolean; cores?: number; taskset?: boolean } = {}): CpuPlan {
  const cores = options.cores ?? availableParallelism();
  const off = (why: string): CpuPlan => ({
    enabled: false,
    load: '',
    server: '',
    description: `not pinned: ${why}`,
  });
  if (options.disabled) return off('--no-pin');
  if (cores < 2) return off(`${cores} core`);
  if (!(options.taskset ?? hasTaskset())) return off('taskset (util-linux) not found');
  const server = cores === 2 ? '1' : `1-${cores - 1}`;
  return {
    enabled: true,
    load: '0',
    server,
    description: `load generator on core 0, servers on core${cores === 2 ? '' : 's'} ${server} (taskset)`,
  };
}

/**
 * The run's pinning in one line, for the log and the results file: the plan applies only to the
 * suites marked `pinning: 'client-server'` (bench/harness.ts), so a line that named cores for a run
 * whose suites all stay unpinned (frontend, api, history, render) would misstate how it was measured.
 */
export function describePinning(plan: CpuPlan, pinnedSuites: readonly string[], total: number): string {
  if (!plan.enabled) return plan.description;
  if (pinnedSuites.length === 0) return 'not pinned: no suite in this run pins its servers';
  if (pinnedSuites.length === total) return plan.description;
  return `${plan.description} for ${pinnedSuites.join(', ')}; the other suites not pinned`;
}

/** The process and every process below it, from /proc (PostgreSQL forks its helpers at start). */
export function processTree(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the command name, which is in parentheses and may contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // The process exited while we looked.
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parentOf) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

/**
 * Pins a running process, all its threads (`-a`) and all its descendants to `cores`. Processes
 * forked later inherit the affinity (PostgreSQL backends fork from the postmaster per connection).
 */
export function pinTree(pid: number, cores: string): void {
  for (const p of processTree(pid)) {
    try {
      execFileSync('taskset', ['-a', '-cp', cores, String(p)], { stdio: 'ignore' });
    } catch {
      // Exited between listing and pinning: nothing left to pin.
    }
  }
}

/** `cmd args` prefixed with `taskset -c cores` when pinning is on (for spawning a pinned process). */
export function pinnedCommand(cores: string, cmd: string, args: string[]): [string, string[]] {
  return cores ? ['taskset', ['-c', cores, cmd, ...args]] : [cmd, args];
}

/** The cores this process may run on now (`taskset -p`), as a core list. */
export function currentAffinity(pid = process.pid): string {
  const out = execFileSync('taskset', ['-cp', String(pid)], { encoding: 'utf8' });
  return out.slice(out.lastIndexOf(':') + 1).trim();
}
