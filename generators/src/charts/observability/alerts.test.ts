import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultOpsSettings } from '../../environments/sections/operations.js';
import { sampleContext } from '../../testing/context.js';
import { alertRules, prometheusRule } from './alerts.js';
import { RUNBOOKS } from './runbook-links.js';

const s = defaultOpsSettings();

describe('alerts', () => {
  it('burn-rate alerts follow the SRE workbook factors for a 99.9% SLO', () => {
    const fast = alertRules(sampleContext(), s).find((r) => r.alert === 'PaydayApiAvailabilityBurnFast')!;
    // 14.4 × 0.001 = 0.0144 over 1h and 5m; 6 × 0.001 = 0.006 for the slow pair.
    expect(fast.expr).toContain('[1h]))) > 0.0144 and');
    expect(fast.expr).toContain('[5m]))) > 0.0144');
    expect(fast.severity).toBe('critical');
    const slow = alertRules(sampleContext(), s).find((r) => r.alert === 'PaydayApiAvailabilityBurnSlow')!;
    expect(slow.expr).toContain('[6h]))) > 0.006 and');
  });

  it('latency uses the histogram bucket of the threshold', () => {
    const lat = alertRules(sampleContext(), s).find((r) => r.alert === 'PaydayApiLatencyBurnFast')!;
    expect(lat.expr).toContain(
      'http_request_duration_seconds_bucket{namespace="payday-prod",app="api",le="0.5"}',
    );
  });

  it('covers SLO burn, webhooks, queue age, rollout degraded and analysis failed', () => {
    const names = alertRules(sampleContext(), s).map((r) => r.alert);
    for (const n of [
      'PaydayApiAvailabilityBurnFast',
      'PaydayApiLatencyBurnSlow',
      'PaydayWebhookDeliverySuccessLow',
      'PaydayQueueOldestJobTooOld',
      'PaydayRolloutDegraded',
      'PaydayAnalysisRunFailed',
    ]) {
      expect(names).toContain(n);
    }
  });

  it('every alert links a runbook that exists in runbooks/', () => {
    const rule = prometheusRule(sampleContext(), s);
    const rules = (rule.spec as { groups: Array<{ rules: Array<{ annotations: { runbook_url: string } }> }> })
      .groups[0]!.rules;
    for (const r of rules) {
      const file = r.annotations.runbook_url.split('/').pop()!;
      expect(Object.values(RUNBOOKS)).toContain(file);
      expect(existsSync(new URL(`../../../../runbooks/${file}`, import.meta.url)), file).toBe(true);
    }
  });

  it('carries the Prometheus selector label of the environment', () => {
    expect(prometheusRule(sampleContext(), s).metadata.labels).toMatchObject({
      release: 'kube-prometheus-stack',
    });
  });
});

describe('controller metrics', () => {
  it('select the environment by exported_namespace (the chart scrape keeps `namespace` for the controller) and the phases rollout_info has', () => {
    const degraded = alertRules(sampleContext(), s).find((r) => r.alert === 'PaydayRolloutDegraded')!;
    expect(degraded.expr).toBe(
      'max by (name) (rollout_info{exported_namespace="payday-prod",phase=~"Abort|Error|Timeout|InvalidSpec"}) == 1',
    );
  });
});
