import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { type RehearsalRequest, rehearseRendered } from './rehearse-rendered.js';
import { REPO_ROOT, renderEnvironments } from './render.js';

vi.setConfig({ testTimeout: 180_000 });

let request: RehearsalRequest;
beforeAll(async () => {
  const r = await renderEnvironments({});
  request = { objects: [...r.environments.flatMap((e) => e.objects), ...r.global] };
});

describe('rehearseRendered', () => {
  it('passes the whole render: four scenarios, no error, no report', async () => {
    const outcome = await rehearseRendered(request);
    expect(outcome).toEqual({ passed: true, scenarios: 4, errors: 0, notes: outcome.notes });
  });

  it('fails without the NetworkPolicies, with the text report of the network check', async () => {
    const outcome = await rehearseRendered({
      objects: request.objects.filter((o) => o.object.kind !== 'NetworkPolicy'),
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.errors).toBeGreaterThan(0);
    expect(outcome.report).toMatch(/network: \d+ finding\(s\)/);
  });

  it('takes the shared trees from the committed gitops/ for one environment (--env)', async () => {
    const r = await renderEnvironments({ only: ['dev'] });
    const objects = r.environments.flatMap((e) => e.objects);
    const alone = await rehearseRendered({ objects, only: ['dev'] });
    const withShared = await rehearseRendered({
      objects,
      only: ['dev'],
      sharedFrom: join(REPO_ROOT, 'gitops'),
    });
    expect(withShared).toEqual({ passed: true, scenarios: 1, errors: 0, notes: withShared.notes });
    // Without gitops/argocd nothing places dev's objects: the rehearsal fails closed.
    expect(alone.passed).toBe(false);
  });
});
