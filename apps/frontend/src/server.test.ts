import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { start } from './server.js';
import { closedPort } from './testing/stack.js';

const SECRET = 'server-test-secret-0123456789abcdefghijkl';
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

let apiPort: number;
beforeAll(async () => {
  apiPort = await closedPort();
});

describe('start()', () => {
  it('serves on a port, reports draining on /readyz at once when closing, then stops listening', async () => {
    const running = await start(
      loadConfig({
        FRONTEND_PORT: '0',
        FRONTEND_HOST: '127.0.0.1',
        API_URL: `http://127.0.0.1:${apiPort}`,
        SESSION_SECRET: SECRET,
        LOG_LEVEL: 'silent',
        SHUTDOWN_DELAY_MS: '300',
      }),
    );
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    // The API is not running: not ready, but alive.
    expect(await (await fetch(`${running.url}/readyz`)).json()).toEqual({ status: 'api unavailable' });
    const closing = running.close();
    const during = await fetch(`${running.url}/readyz`);
    expect(during.status).toBe(503);
    expect(await during.json()).toEqual({ status: 'draining' });
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    await closing;
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
  });
});

describe('main.ts (container entrypoint)', () => {
  const run = (env: Record<string, string>) =>
    spawn(TSX, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });

  it('refuses to start on bad configuration and says why', async () => {
    const child = run({ FRONTEND_PORT: 'abc' });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('invalid frontend configuration');
    expect(stderr).toContain('SESSION_SECRET is required');
    expect(stderr).toContain('FRONTEND_PORT');
  });

  let child: ReturnType<typeof run> | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('serves, then drains and exits 0 on SIGTERM', async () => {
    child = run({
      FRONTEND_PORT: '0',
      FRONTEND_HOST: '127.0.0.1',
      SESSION_SECRET: SECRET,
      API_URL: `http://127.0.0.1:${apiPort}`,
      LOG_LEVEL: 'info',
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child!.stdout.on('data', (d) => {
        out += String(d);
        const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
        if (m) resolve(m[1]!);
      });
      child!.on('exit', (code) => reject(new Error(`exited ${code} before listening: ${out}`)));
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child!.on('exit', resolve));
    expect(code).toBe(0);
  });
});
