import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { costsOfTree } from './cost-tree.js';

describe('cost of a rendered tree', () => {
  it('reads every environment folder and skips missing ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'payday-cost-'));
    mkdirSync(join(dir, 'prod', 'api'), { recursive: true });
    writeFileSync(
      join(dir, 'prod', 'api', 'rollout-api.yaml'),
      '# header\napiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: api\nspec:\n  replicas: 2\n' +
        '  template:\n    spec:\n      containers:\n        - name: api\n          resources:\n            requests: { cpu: 250m, memory: 256Mi }\n',
    );
    writeFileSync(join(dir, 'prod', 'index.md'), '# not yaml\n');
    const [prod, ...rest] = costsOfTree(dir, ['prod', 'staging']);
    expect(rest).toEqual([]);
    expect(prod!.total.cpuMillicores).toEqual({ min: 500, max: 500 });
  });

  it('matches the committed tree of this repository', () => {
    const gitops = join(import.meta.dirname, '../../../gitops');
    const costs = costsOfTree(gitops, ['dev', 'staging', 'prod']);
    expect(costs.map((c) => c.env)).toEqual(['dev', 'staging', 'prod']);
    const prod = costs.find((c) => c.env === 'prod')!;
    expect(prod.total.cpuMillicores.max).toBeGreaterThan(prod.total.cpuMillicores.min);
  });
});

describe('cost of a repository checkout', () => {
  it('finds the environments from environments/*.yaml', async () => {
    const { costsOfRepository } = await import('./cost-tree.js');
    expect(costsOfRepository(join(import.meta.dirname, '../../..')).map((c) => c.env)).toEqual([
      'dev',
      'prod',
      'staging',
    ]);
  });
});
