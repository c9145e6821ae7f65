import { describe, expect, it } from 'vitest';
import { defaultOpsSettings, opsSettingsSchema } from './operations.js';

describe('ops settings', () => {
  it('an empty section gets every documented default', () => {
    const s = defaultOpsSettings();
    expect(s.analysis).toMatchObject({
      enabled: true,
      interval: '1m',
      count: 5,
      failureLimit: 1,
      noData: 'inconclusive',
    });
    expect(s.database).toMatchObject({ instances: 1, storageSize: '5Gi', walStorageSize: '2Gi' });
    expect(s.database.backups).toMatchObject({ enabled: false, retention: '30d', schedule: '0 0 2 * * *' });
    expect(s.exposure.mode).toBe('ingress');
    expect(s.monitoring.selectorLabels).toEqual({ release: 'kube-prometheus-stack' });
  });

  it('rejects a five-field cron with the reason', () => {
    const r = opsSettingsSchema.safeParse({ database: { backups: { schedule: '0 2 * * *' } } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({
      path: ['database', 'backups', 'schedule'],
      message: 'must be a six-field cron (seconds first), e.g. "0 0 2 * * *"',
    });
  });

  it('rejects unknown keys (a typo is an error, not a silent default)', () => {
    const r = opsSettingsSchema.safeParse({ analysis: { enabeld: false } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.code).toBe('unrecognized_keys');
  });
});
