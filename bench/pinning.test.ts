import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import {
  currentAffinity,
  describePinning,
  pinnedCommand,
  pinTree,
  planCpus,
  processTree,
} from './pinning.js';

describe('planCpus', () => {
  it('gives core 0 to the load generator and the rest to the servers', () => {
    expect(planCpus({ cores: 2, taskset: true })).toEqual({
      enabled: true,
      load: '0',
      server: '1',
      description: 'load generator on core 0, servers on core 1 (taskset)',
    });
    expect(planCpus({ cores: 8, taskset: true })).toMatchObject({ load: '0', server: '1-7' });
  });

  it('says why nothing is pinned', () => {
    expect(planCpus({ cores: 1, taskset: true })).toMatchObject({
      enabled: false,
      description: 'not pinned: 1 core',
    });
    expect(planCpus({ cores: 4, taskset: false }).description).toBe(
      'not pinned: taskset (util-linux) not found',
    );
    expect(planCpus({ disabled: true }).description).toBe('not pinned: --no-pin');
  });

  it('prefixes a command with taskset only when there are cores to pin to', () => {
    expect(pinnedCommand('1', 'pgbench', ['-T', '5'])).toEqual([
      'taskset',
      ['-c', '1', 'pgbench', '-T', '5'],
    ]);
    expect(pinnedCommand('', 'pgbench', ['-T', '5'])).toEqual(['pgbench', ['-T', '5']]);
  });
});

describe('describePinning', () => {
  const plan = planCpus({ cores: 2, taskset: true });

  it('names the suites the plan applies to when only some pin', () => {
    expect(describePinning(plan, ['queue-peers', 'worker'], 6)).toBe(
      'load generator on core 0, servers on core 1 (taskset) for queue-peers, worker; the other suites not pinned',
    );
    expect(describePinning(plan, ['worker'], 1)).toBe(plan.description);
  });

  it('says nothing is pinned when no suite in the run pins, or when pinning is off', () => {
    expect(describePinning(plan, [], 2)).toBe('not pinned: no suite in this run pins its servers');
    expect(describePinning(planCpus({ disabled: true }), ['worker'], 1)).toBe('not pinned: --no-pin');
  });
});

describe('pinTree', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    // Ends the shell's whole process group (the shell and its two sleeps), which this test started.
    if (child?.pid) process.kill(-child.pid, 'SIGKILL');
  });

  it('finds a process and its descendants and pins all of them (threads too)', async () => {
    child = spawn('sh', ['-c', 'sleep 30 & sleep 30 & wait'], { detached: true, stdio: 'ignore' });
    const pid = child.pid!;
    let tree: number[] = [];
    for (let i = 0; i < 100 && tree.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 20));
      tree = processTree(pid);
    }
    expect(tree[0]).toBe(pid);
    expect(tree).toHaveLength(3);
    expect(processTree(process.pid)).toEqual(expect.arrayContaining(tree));
    // Core 0 exists on every machine; the rest of the plan depends on the core count.
    pinTree(pid, '0');
    for (const p of tree) expect(currentAffinity(p)).toBe('0');
  });
});
