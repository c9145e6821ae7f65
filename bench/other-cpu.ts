/**
 * How much CPU other work used while the bench ran: the machine's busy CPU time over the run
 * (every core's user, nice and system time, `os.cpus()`, which reads /proc/stat) less the bench's
 * own, which is this process's CPU time plus that of every descendant it has waited for
 * (`utime + stime + cutime + cstime` in /proc/self/stat, proc(5); PostgreSQL, pgbench, spawned
 * servers and their own children all end and are reaped before the run does). The load average
 * cannot tell the two apart: it counts the bench's own runnable processes too.
 *
 * Interrupt time (irq, softirq) is left out on both sides: loopback traffic is handled there and
 * is charged to no process, so it would count as other work.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export interface CpuSample {
  /** Wall clock, ms (`performance.now()`). */
  at: number;
  /** Busy CPU time of the whole machine, ms, or undefined where it cannot be read. */
  machineMs: number | undefined;
  /** This process's CPU time and its reaped descendants', ms, or undefined off Linux. */
  ownMs: number | undefined;
}

let ticksPerSecond: number | undefined;

/** `sysconf(_SC_CLK_TCK)`, the unit of /proc/self/stat's times; 100 where getconf is missing. */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** utime + stime + cutime + cstime of /proc/<pid>/stat, in ms (fields 14–17, proc(5)). */
export function processTreeCpuMs(stat: string, ticks: number): number {
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  const sum = [14, 15, 16, 17].reduce((total, n) => total + Number(fields[n - 3]), 0);
  return (sum / ticks) * 1000;
}

export function sampleCpu(): CpuSample {
  const all = cpus();
  const machineMs =
    all.length > 0 ? all.reduce((t, c) => t + c.times.user + c.times.nice + c.times.sys, 0) : undefined;
  let ownMs: number | undefined;
  try {
    ownMs = processTreeCpuMs(readFileSync('/proc/self/stat', 'utf8'), clockTicks());
  } catch {
    ownMs = undefined;
  }
  return { at: performance.now(), machineMs, ownMs };
}

/**
 * Other work between two samples, in cores (CPU seconds per wall second), never below 0 (the two
 * clocks tick at different times); undefined when either side could not be read.
 */
export function otherCores(start: CpuSample, end: CpuSample): number | undefined {
  if (
    start.machineMs === undefined ||
    end.machineMs === undefined ||
    start.ownMs === undefined ||
    end.ownMs === undefined
  )
    return undefined;
  const wallMs = end.at - start.at;
  if (wallMs <= 0) return undefined;
  const other = end.machineMs - start.machineMs - (end.ownMs - start.ownMs);
  return Math.max(0, other) / wallMs;
}
