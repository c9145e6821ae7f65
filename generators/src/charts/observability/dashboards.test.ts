import { describe, expect, it } from 'vitest';
import { defaultOpsSettings } from '../../environments/sections/operations.js';
import { sampleContext } from '../../testing/context.js';
import { dashboardConfigMaps } from './dashboards.js';

describe('dashboards as code', () => {
  const cms = dashboardConfigMaps(sampleContext(), defaultOpsSettings());

  it('ships four dashboards in ConfigMaps with the sidecar label', () => {
    expect(cms.map((c) => c.metadata.name)).toEqual([
      'dashboard-health',
      'dashboard-rollouts',
      'dashboard-queue',
      'dashboard-delivery',
    ]);
    for (const c of cms) expect(c.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
  });

  it('generates valid, deterministic dashboard JSON scoped to the environment', () => {
    const [first] = cms;
    const json = JSON.parse(Object.values(first!.data as Record<string, string>)[0]!);
    expect(json).toMatchObject({
      uid: 'payday-health-prod',
      title: 'Payday prod: service health',
      schemaVersion: 39,
    });
    expect(
      json.panels.every((p: { targets: Array<{ expr: string }> }) =>
        p.targets.every((t) => t.expr.includes('payday-prod')),
      ),
    ).toBe(true);
    expect(dashboardConfigMaps(sampleContext(), defaultOpsSettings())).toEqual(cms);
  });
});
