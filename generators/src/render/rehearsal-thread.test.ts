import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { captureIo } from '../testing/fixtures.js';
import { RehearsalThread, RehearsalThreadError } from './rehearsal-thread.js';
import { type RehearsalRequest, rehearsalRequest, rehearseRendered } from './rehearse-rendered.js';
import { REPO_ROOT, renderEnvironments } from './render.js';

vi.setConfig({ testTimeout: 180_000 });

const BROKEN = new URL('../testing/broken-rehearsal-worker.ts', import.meta.url);
let request: RehearsalRequest;
let withoutPolicies: RehearsalRequest;

beforeAll(async () => {
  const r = await renderEnvironments({});
  request = rehearsalRequest([...r.environments.flatMap((e) => e.objects), ...r.global]);
  // Without a single NetworkPolicy, default-allow is not what the flow matrix wants: a failure.
  withoutPolicies = { objects: request.objects.filter((o) => o.object.kind !== 'NetworkPolicy') };
});

describe('the rehearsal thread', () => {
  let thread: RehearsalThread;
  beforeAll(() => {
    thread = RehearsalThread.start();
  });
  afterAll(async () => {
    await thread.close();
  });

  it('gives the verdict the main thread gives, for a pass and for a failure, request after request', async () => {
    const inline = await rehearseRendered(request);
    expect(inline).toEqual({ passed: true, scenarios: 4, errors: 0, notes: inline.notes });
    expect(await thread.rehearse(request)).toEqual(inline);

    const failedInline = await rehearseRendered(withoutPolicies);
    expect(failedInline.passed).toBe(false);
    expect(failedInline.errors).toBeGreaterThan(0);
    expect(failedInline.report).toContain('network');
    expect(await thread.rehearse(withoutPolicies)).toEqual(failedInline);
  });

  it('answers requests sent before the first one is done, each with its own verdict', async () => {
    const [a, b] = await Promise.all([thread.rehearse(withoutPolicies), thread.rehearse(request)]);
    expect(a.passed).toBe(false);
    expect(b.passed).toBe(true);
  });
});

describe('a thread that fails', () => {
  it('rejects the request with the thread error, and every later one', async () => {
    const thread = RehearsalThread.start({ body: BROKEN });
    try {
      await expect(thread.rehearse(request)).rejects.toThrow(
        new RehearsalThreadError('rehearsal thread: the rehearsal modules failed to load'),
      );
      await expect(thread.rehearse(request)).rejects.toThrow(
        'rehearsal thread: the rehearsal modules failed to load',
      );
    } finally {
      await thread.close();
    }
  });

  it('leaves the render command rehearsing on the main thread, said on stderr', async () => {
    const { renderCommand } = await import('../cli/render-command.js');
    const thread = RehearsalThread.start({ body: BROKEN });
    const out = captureIo();
    try {
      const code = await renderCommand({ check: true, 'no-gate': true }, out.io, REPO_ROOT, thread);
      expect(code).toBe(0);
    } finally {
      await thread.close();
    }
    expect(out.stderr).toContain(
      'render: rehearsal thread: the rehearsal modules failed to load; rehearsing on the main thread\n',
    );
    expect(out.stderr).toMatch(/render: cluster rehearsal pass \(4 scenarios, 0 errors/);
    expect(out.stdout).toMatch(/^render --check: gitops\/ is up to date/);
  });
});

describe('an idle thread', () => {
  it('does not keep its process alive: a script that never closes it still exits', async () => {
    const script = `import { RehearsalThread } from ${JSON.stringify(join(REPO_ROOT, 'generators/src/render/rehearsal-thread.ts'))};
const thread = RehearsalThread.start();
const outcome = await thread.rehearse({ objects: [] });
console.log(JSON.stringify(outcome.scenarios));`;
    const { stdout } = await promisify(execFile)(
      join(REPO_ROOT, 'node_modules/.bin/tsx'),
      ['--input-type=module', '-e', script],
      // Killed (and the test failed) if the thread held the process open.
      { cwd: REPO_ROOT, timeout: 120_000 },
    );
    expect(stdout.trim()).toMatch(/^\d+$/);
  });
});
