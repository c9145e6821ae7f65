import { describe, expect, it } from 'vitest';
import { createMetrics, METRIC_DEFINITIONS } from './metrics.js';

describe('worker metrics', () => {
  it('METRIC_DEFINITIONS describes the registry it builds (the rehearsal traces queries to it)', () => {
    const registered = createMetrics('t')
      .registry.getMetricsAsArray()
      .map((m) => [m.name, m.type]);
    expect(registered).toEqual(METRIC_DEFINITIONS.metrics.map((m) => [m.name, m.type]));
  });
});
