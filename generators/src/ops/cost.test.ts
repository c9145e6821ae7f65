import { describe, expect, it } from 'vitest';
import { bytes, costSummary, formatCost, millicores } from './cost.js';
import { opsSettingsSchema } from './settings.js';
import { sampleContext } from './testing/context.js';

describe('cost summary', () => {
  it('parses quantities', () => {
    expect(millicores('250m')).toBe(250);
    expect(millicores('1.5')).toBe(1500);
    expect(bytes('256Mi')).toBe(256 * 2 ** 20);
    expect(bytes('1G')).toBe(1e9);
    expect(() => millicores('lots')).toThrow('unsupported CPU quantity "lots"');
    expect(() => bytes('1 GB')).toThrow('unsupported memory quantity "1 GB"');
  });

  it('sums requests at minimum and maximum replicas, database included', () => {
    const s = opsSettingsSchema.parse({ database: { instances: 3, cpu: '500m', memory: '1Gi' } });
    const c = costSummary(sampleContext(), s);
    // api 250m × 3..10, frontend 100m × 2, worker 200m × 1..20, database 500m × 3
    expect(c.total.cpuMillicores).toEqual({ min: 750 + 200 + 200 + 1500, max: 2500 + 200 + 4000 + 1500 });
    expect(c.lines.find((l) => l.component === 'worker')).toMatchObject({ minReplicas: 1, maxReplicas: 20 });
    expect(formatCost(c)).toBe(
      'prod: requests 2.65 CPU / 4.25 GiB at min replicas, 8.20 CPU / 10.75 GiB at max',
    );
  });
});
