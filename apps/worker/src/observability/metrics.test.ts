import { describe, expect, it } from 'vitest';
import { METRIC_DEFINITIONS } from './metric-definitions.js';
import { createMetrics } from './metrics.js';

describe('worker metrics', () => {
  it('METRIC_DEFINITIONS describes the registry it builds (the rehearsal traces queries to it)', () => {
    const registered = createMetrics('t')
      .registry.getMetricsAsArray()
      .map((m) => [m.name, m.type]);
    expect(registered).toEqual(METRIC_DEFINITIONS.metrics.map((m) => [m.name, m.type]));
  });
});
