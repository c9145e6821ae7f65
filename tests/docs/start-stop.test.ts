/**
 * Ctrl-C during `npm start -- --simulate` stops everything cleanly: exit code 0, "Payday
 * stopped.", and none of the simulator's failing requests reported as a failure of npm start
 * (docs/design/apps.md §Running locally).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePorts, type StartedPlatform, startPlatform } from './platform.js';

let dataDir: string | undefined;
let platform: StartedPlatform | undefined;

afterAll(async () => {
  if (platform && platform.child.exitCode === null) platform.child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('npm start -- --simulate', () => {
  it('stops cleanly on SIGINT while the simulator is sending traffic', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'payday-start-'));
    platform = startPlatform(['--simulate'], await freePorts(), dataDir);
    await platform.waitFor('Payday is running.');
    // The first progress line means requests are in flight: the moment the old code failed.
    await platform.waitFor('· simulate: ');
    platform.interrupt();
    const code = await platform.exited;
    const output = platform.output();
    expect(`${code}\n${output}`).toMatch(/^0\n/);
    expect(output).not.toContain('npm start failed');
    expect(output).toContain('· stopping worker');
    expect(output).toContain('· stopping api');
    expect(output).toContain('· stopping embedded PostgreSQL');
    expect(output.trimEnd().split('\n').at(-1)).toBe('Payday stopped.');
  }, 120_000);
});
