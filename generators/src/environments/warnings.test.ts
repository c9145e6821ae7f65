import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { envYaml, type TempRepo, tempRepo } from '../testing/fixtures.js';
import { loadEnvironment, loadEnvironments } from './load.js';
import { type EnvironmentWarning, formatWarning, WARNINGS } from './warnings.js';

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

/** Loads one file (qa.yaml, or `name`) and returns its warnings, formatted. */
async function warningsOf(body: string, name = 'qa.yaml'): Promise<string[]> {
  repo = await tempRepo({ [name]: envYaml(body) });
  const out: EnvironmentWarning[] = [];
  await loadEnvironment(join(repo.envDir, name), { root: repo.root, onWarning: (w) => out.push(w) });
  return out.map(formatWarning);
}

/** Each case: a body that warns, the exact warning, and the same body silenced by a comment. */
const cases: { id: keyof typeof WARNINGS; body: string; warning: string; silenced: string }[] = [
  {
    id: 'replicas-zero',
    body: 'apps:\n  api:\n    replicas: 0\n',
    warning:
      'environments/qa.yaml:3:15: warning: apps.api.replicas: api runs no pods and gets no PodDisruptionBudget; to leave it out, set apps.api.enabled: false [replicas-zero]',
    silenced: 'apps:\n  api:\n    replicas: 0 # payday:allow replicas-zero\n',
  },
  {
    id: 'single-replica',
    body: 'promotesFrom: dev\npromotion:\n  soak: 1h\napps:\n  frontend:\n    replicas: 1\n',
    warning:
      'environments/qa.yaml:6:15: warning: apps.frontend.replicas: one frontend replica in an environment promoted from dev: no PodDisruptionBudget, and a node drain takes frontend down [single-replica]',
    silenced:
      'promotesFrom: dev\npromotion:\n  soak: 1h\napps:\n  frontend:\n    # a demo environment: one pod is enough  payday:allow single-replica\n    replicas: 1\n',
  },
  {
    id: 'replicas-high',
    body: 'apps:\n  api:\n    replicas: 1000\n',
    warning:
      'environments/qa.yaml:3:15: warning: apps.api.replicas: 1000 api replicas (100.0 CPU and 187.5 GiB of requests at 100m/192Mi each); more than 50 is probably a typo [replicas-high]',
    silenced: 'apps:\n  api:\n    replicas: 1000 # payday:allow replicas-high\n',
  },
  {
    id: 'min-replicas-zero',
    body: 'apps:\n  api:\n    autoscaling: { minReplicas: 0, maxReplicas: 4 }\n',
    warning:
      'environments/qa.yaml:3:33: warning: apps.api.autoscaling.minReplicas: api serves traffic but may scale to zero: no PodDisruptionBudget, and the first request after idling waits for a pod [min-replicas-zero]',
    silenced:
      'apps:\n  api:\n    autoscaling: { minReplicas: 0, maxReplicas: 4 } # payday:allow min-replicas-zero\n',
  },
  {
    id: 'no-soak',
    body: 'promotesFrom: dev\n',
    warning:
      'environments/qa.yaml:1:15: warning: promotion.soak: releases may be promoted here the moment they reach dev; set a soak such as 1h [no-soak]',
    silenced: 'promotesFrom: dev # payday:allow no-soak\n',
  },
  {
    id: 'prestop-exceeds-grace',
    body: 'apps:\n  worker:\n    shutdown:\n      terminationGracePeriodSeconds: 10\n      preStopSleepSeconds: 10\n',
    warning:
      'environments/qa.yaml:5:28: warning: apps.worker.shutdown.preStopSleepSeconds: the 10 s preStop sleep uses the whole 10 s grace period: worker is killed before it gets SIGTERM to drain [prestop-exceeds-grace]',
    silenced:
      'apps:\n  worker:\n    shutdown:\n      terminationGracePeriodSeconds: 10\n      preStopSleepSeconds: 10 # payday:allow prestop-exceeds-grace\n',
  },
];

describe('warnings for valid but probably wrong values', () => {
  for (const c of cases) {
    it(`${c.id}: warns with file:line:col, and a payday:allow comment silences it`, async () => {
      expect(await warningsOf(c.body)).toEqual([c.warning]);
      expect(await warningsOf(c.silenced)).toEqual([]);
    });
  }

  it('covers every warning id with a case (plus unknown-allow below)', () => {
    expect([...cases.map((c) => c.id), 'unknown-allow'].sort()).toEqual(Object.keys(WARNINGS).sort());
  });

  it('replicas-high: an autoscaling maximum counts too, and a quantity the arithmetic cannot read is left out', async () => {
    expect(
      await warningsOf(
        'apps:\n  worker:\n    autoscaling: { minReplicas: 1, maxReplicas: 80 }\n    resources:\n      requests: { cpu: "1e0" }\n',
      ),
    ).toEqual([
      'environments/qa.yaml:3:49: warning: apps.worker.autoscaling.maxReplicas: 80 worker replicas; more than 50 is probably a typo [replicas-high]',
    ]);
  });

  it('a comment silences only the ids it names, and several ids may be listed', async () => {
    expect(await warningsOf('apps:\n  api:\n    replicas: 0 # payday:allow replicas-high\n')).toEqual([
      expect.stringContaining('[replicas-zero]'),
    ]);
    expect(
      await warningsOf('apps:\n  api:\n    replicas: 0 # payday:allow replicas-high, replicas-zero\n'),
    ).toEqual([]);
  });

  it('reports an allow comment that names no known warning (a typo would silence nothing)', async () => {
    expect(await warningsOf('apps:\n  api:\n    replicas: 0 # payday:allow replica-zero\n')).toEqual([
      'environments/qa.yaml:3:15: warning: apps.api.replicas: api runs no pods and gets no PodDisruptionBudget; to leave it out, set apps.api.enabled: false [replicas-zero]',
      'environments/qa.yaml:3:32: warning: payday:allow names no known warning "replica-zero" (known: replicas-zero, single-replica, replicas-high, min-replicas-zero, no-soak, prestop-exceeds-grace) [unknown-allow]',
    ]);
  });

  it('says nothing about a disabled app, a source environment with one replica, or the committed files', async () => {
    expect(await warningsOf('apps:\n  api:\n    enabled: false\n    replicas: 0\n')).toEqual([]);
    await repo?.cleanup();
    expect(await warningsOf('apps:\n  api:\n    replicas: 1\n')).toEqual([]);
    const committed: EnvironmentWarning[] = [];
    await loadEnvironments(join(import.meta.dirname, '../../../environments'), {
      root: join(import.meta.dirname, '../../..'),
      onWarning: (w) => committed.push(w),
    });
    expect(committed).toEqual([]);
  });

  it('reports nothing for a file that has errors: the errors come first', async () => {
    repo = await tempRepo({ 'qa.yaml': envYaml('apps:\n  api:\n    replicas: 0\n    bogus: 1\n') });
    const out: EnvironmentWarning[] = [];
    await expect(
      loadEnvironments(repo.envDir, { root: repo.root, onWarning: (w) => out.push(w) }),
    ).rejects.toThrow('unknown key "bogus"');
    expect(out).toEqual([]);
  });
});
