/**
 * CPU time of processes from /proc, for the api-floor scripts that print CPU per request
 * (get-cpu.ts, cpu-per-request.ts): steadier than requests per second on a shared machine.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/PID/stat times (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** `[ppid, seconds of CPU]` of a process (with its reaped children's when asked), or undefined once gone. */
export function stat(pid: number | string, withChildren = false): [number, number] | undefined {
  try {
    // proc(5): the fields after the command's closing parenthesis start at `state`.
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const own = Number(f[11]) + Number(f[12]);
    return [Number(f[1]), (own + (withChildren ? Number(f[13]) + Number(f[14]) : 0)) / TICKS];
  } catch {
    return undefined;
  }
}

/** PostgreSQL's CPU seconds: the postmaster, what it reaped, and its running children. */
export function postgresCpu(postmaster: number): number {
  let total = stat(postmaster, true)?.[1] ?? 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const s = stat(pid);
    if (s && s[0] === postmaster) total += s[1];
  }
  return total;
}
