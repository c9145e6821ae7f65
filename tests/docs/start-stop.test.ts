/**
 * Ctrl-C during `npm start -- --simulate` stops everything cleanly: exit code 0, "Payday
 * stopped.", and none of the simulator's failing requests reported as a failure of npm start
 * (docs/design/apps.md §Running locally).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePorts, type StartedPlatform, startPlatform } from './platform.js';

let dataDir: string | undefined;
let platform: StartedPlatform | undefined;
let busyDir: string | undefined;

afterAll(async () => {
  if (platform && platform.child.exitCode === null) platform.child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  if (busyDir) await rm(busyDir, { recursive: true, force: true });
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

/** Binds `port` on loopback and releases it; rejects with EADDRINUSE while something holds it. */
function listenOnce(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve()));
  });
}

describe('npm start on a busy port', () => {
  it('names the port variable to change, and stops what it started', async () => {
    busyDir = await mkdtemp(join(tmpdir(), 'payday-busy-'));
    const ports = await freePorts();
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(ports.FRONTEND_PORT, '127.0.0.1', resolve));
    try {
      const started = startPlatform([], ports, busyDir);
      const code = await started.exited;
      const output = started.output();
      expect(`${code}\n${output}`).toMatch(/^1\n/);
      expect(output).toContain(
        `npm start failed: frontend cannot listen on 127.0.0.1:${ports.FRONTEND_PORT}: the port is in use (another npm start?); set FRONTEND_PORT to a free port\n`,
      );
      expect(output).not.toContain('Payday is running.');
      // What started before the failure was stopped: its ports are free again.
      await listenOnce(ports.API_PORT);
      await listenOnce(ports.PAYDAY_PG_PORT);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  }, 120_000);

  it('names PAYDAY_PG_PORT when the embedded PostgreSQL cannot bind its port', async () => {
    busyDir ??= await mkdtemp(join(tmpdir(), 'payday-busy-'));
    const ports = await freePorts();
    // A holder that hangs up at once, as a non-PostgreSQL server does on a PostgreSQL greeting.
    const holder = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => holder.listen(ports.PAYDAY_PG_PORT, '127.0.0.1', resolve));
    try {
      const started = startPlatform([], ports, busyDir);
      const code = await started.exited;
      const output = started.output();
      expect(`${code}\n${output}`).toMatch(/^1\n/);
      const p = ports.PAYDAY_PG_PORT;
      expect(output).toContain(
        `npm start failed: embedded PostgreSQL on 127.0.0.1:${p} stopped while starting: could not create any TCP/IP sockets (port ${p} is in use); set PAYDAY_PG_PORT to a free port\n`,
      );
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  }, 120_000);
});
