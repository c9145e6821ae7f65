import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { otherCores, processTreeCpuMs, sampleCpu } from './other-cpu.js';

describe('processTreeCpuMs', () => {
  it('adds utime, stime, cutime and cstime, counting fields after a command name with spaces', () => {
    // Fields 1–17 of proc(5): pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt
    // majflt cmajflt utime stime cutime cstime.
    const stat = '4242 (node (bench) x) S 1 4242 4242 0 -1 4194304 100 0 0 0 150 50 200 100 20 0 1 0';
    expect(processTreeCpuMs(stat, 100)).toBe(5000);
    expect(processTreeCpuMs(stat, 1000)).toBe(500);
  });
});

describe('otherCores', () => {
  const sample = (at: number, machineMs: number, ownMs: number) => ({ at, machineMs, ownMs });

  it('is the machine CPU time the bench did not use itself, per wall second', () => {
    // 10 s of wall time; the machine was busy 14 s, of which the bench used 12 s: 0.2 cores.
    expect(otherCores(sample(0, 1000, 500), sample(10_000, 15_000, 12_500))).toBeCloseTo(0.2, 10);
  });

  it('never goes below zero, and is unknown when a side could not be read', () => {
    expect(otherCores(sample(0, 0, 0), sample(1000, 900, 1000))).toBe(0);
    expect(otherCores(sample(0, 0, 0), { at: 1000, machineMs: 900, ownMs: undefined })).toBeUndefined();
    expect(otherCores(sample(0, 0, 0), sample(0, 0, 0))).toBeUndefined();
  });
});

describe('sampleCpu', () => {
  it("counts a child's CPU as the bench's own once the child has been waited for", () => {
    const before = sampleCpu();
    // The child burns CPU until its own clock says 300 ms, then reports what it used.
    const child = spawnSync(
      process.execPath,
      [
        '-e',
        'const t=process.cpuUsage();let x=0;while(true){for(let i=0;i<1e5;i++)x+=i;const u=process.cpuUsage(t);if(u.user+u.system>=3e5){console.log((u.user+u.system)/1000);break}}',
      ],
      { encoding: 'utf8' },
    );
    const after = sampleCpu();
    const childMs = Number(child.stdout.trim());
    expect(childMs).toBeGreaterThanOrEqual(300);
    // Its CPU time shows up in cutime/cstime (whole clock ticks, so allow one tick of 10 ms per field).
    expect(after.ownMs! - before.ownMs!).toBeGreaterThanOrEqual(childMs - 20);
    expect(after.machineMs! - before.machineMs!).toBeGreaterThan(0);
  });
});
