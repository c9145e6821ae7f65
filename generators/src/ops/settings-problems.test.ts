import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../environments/errors.js';
import { loadEnvironments } from '../environments/load.js';
import { renderEnvironments } from '../render/render.js';
import { opsSettingsSchema } from './settings.js';
import { assertOpsSettings } from './settings-problems.js';

const root = join(import.meta.dirname, '../../..');

describe('prod rules on ops settings', () => {
  it('point at the line that breaks them, or at the top when the value is a default', async () => {
    const [prod] = (await loadEnvironments(join(root, 'environments'), { root })).filter(
      (e) => e.name === 'prod',
    );
    const weak = opsSettingsSchema.parse({
      database: { instances: 1, backups: { enabled: true } },
      analysis: { enabled: false },
    });
    let error: unknown;
    try {
      assertOpsSettings(prod!, weak, root);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvironmentError);
    const lines = (error as Error).message.split('\n');
    // `analysis:` and `database.instances` are written in prod.yaml: their own lines.
    expect(lines[0]).toMatch(
      /^environments\/prod\.yaml:\d+:1: analysis\.enabled: prod may not skip analysis$/,
    );
    expect(lines[1]).toMatch(
      /^environments\/prod\.yaml:\d+:3: database\.instances: prod needs at least 3 instances$/,
    );
  });

  it('stop the render before anything is produced', async () => {
    const envs = await loadEnvironments(join(root, 'environments'), { root });
    const broken = envs.map((e) =>
      e.name === 'prod'
        ? { ...e, database: { ...e.database, backups: { ...e.database.backups, enabled: false } } }
        : e,
    );
    await expect(
      renderEnvironments({ environments: broken, only: ['prod'], validate: false }),
    ).rejects.toThrow(
      /^environments\/prod\.yaml:\d+:5: database\.backups\.enabled: prod must archive WAL and back up$/,
    );
  });
});
