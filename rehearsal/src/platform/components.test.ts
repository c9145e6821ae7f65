import { describe, expect, it } from 'vitest';
import { PLATFORM_COMPONENTS, valueAt } from './components.js';

const component = (chart: string) => {
  const c = PLATFORM_COMPONENTS.find((x) => x.chart === chart);
  if (!c) throw new Error(`no ${chart}`);
  return c;
};

describe('platform components', () => {
  it('reads nested values, undefined past a missing step', () => {
    expect(valueAt({ a: { b: { c: true } } }, 'a.b.c')).toBe(true);
    expect(valueAt({ a: 1 }, 'a.b.c')).toBeUndefined();
  });

  it('knows when the collector chart creates its Service', () => {
    const otel = component('opentelemetry-collector');
    const names = (values: Record<string, unknown>) => otel.services(values).map((s) => s.name);
    expect(names({ mode: 'daemonset' })).toEqual([]);
    expect(
      names({ mode: 'daemonset', service: { enabled: true }, fullnameOverride: 'otel-collector' }),
    ).toEqual(['otel-collector']);
    expect(names({ mode: 'deployment' })).toEqual(['opentelemetry-collector']);
    expect(names({ mode: 'deployment', service: { enabled: false } })).toEqual([]);
  });

  it('lists the CRDs a chart needs from another one', () => {
    expect(
      component('plugin-barman-cloud')
        .requires({})
        .map((r) => `${r.crd.group}/${r.crd.kind}`),
    ).toEqual(['cert-manager.io/Issuer', 'cert-manager.io/Certificate']);
    expect(component('keda').requires({})).toEqual([]);
    expect(
      component('keda').requires({ prometheus: { operator: { serviceMonitor: { enabled: true } } } }),
    ).toHaveLength(1);
  });

  it('describes each chart version once, every fact with its source', () => {
    const keys = PLATFORM_COMPONENTS.map((c) => `${c.chart}@${c.version}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const c of PLATFORM_COMPONENTS) {
      expect(c.crds.source).toMatch(/\S/);
      for (const s of c.services({ service: { enabled: true } })) expect(s.source).toMatch(/\S/);
    }
  });
});
