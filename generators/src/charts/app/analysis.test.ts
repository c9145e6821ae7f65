import { describe, expect, it } from 'vitest';
import { defaultOpsSettings } from '../../environments/sections/operations.js';
import { sampleContext } from '../../testing/context.js';
import {
  ANALYSIS_TEMPLATE_NAMES,
  analysisTemplates,
  apiBackgroundAnalysis,
  conditions,
  frontendBlueGreenAnalysis,
  gateCanarySteps,
  rateWindow,
} from './analysis.js';

const settings = defaultOpsSettings();
type Metric = {
  name: string;
  count?: number;
  successCondition: string;
  failureCondition: string;
  provider: { prometheus: { query: string } };
};
const metricsOf = (name: string, s = settings.analysis) => {
  const t = analysisTemplates(sampleContext(), s).find((o) => o.metadata.name === name);
  if (!t) throw new Error(`no template ${name}`);
  return (t.spec as { metrics: Metric[] }).metrics;
};

describe('analysis templates', () => {
  it('renders the four templates in the environment namespace, before the workloads (wave -1)', () => {
    const ts = analysisTemplates(sampleContext(), settings.analysis);
    expect(ts.map((t) => t.metadata.name)).toEqual(Object.values(ANALYSIS_TEMPLATE_NAMES));
    for (const t of ts) {
      expect(t.metadata.namespace).toBe('payday-prod');
      expect(t.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBe('-1');
    }
  });

  it('judges only the canary: every query filters on its pod-template hash and the namespace', () => {
    for (const name of Object.values(ANALYSIS_TEMPLATE_NAMES)) {
      if (name === ANALYSIS_TEMPLATE_NAMES.frontendSmoke) continue; // a Job, no query
      for (const m of metricsOf(name)) {
        expect(m.provider.prometheus.query).toContain('rollouts_pod_template_hash="{{args.canary-hash}}"');
        expect(m.provider.prometheus.query).toContain('namespace="payday-prod"');
      }
    }
  });

  it('step runs have a count, background runs do not (they last the whole rollout)', () => {
    expect(metricsOf(ANALYSIS_TEMPLATE_NAMES.apiStep).map((m) => m.count)).toEqual([5, 5]);
    expect(metricsOf(ANALYSIS_TEMPLATE_NAMES.apiBackground).map((m) => m.count)).toEqual([
      undefined,
      undefined,
    ]);
    expect(metricsOf(ANALYSIS_TEMPLATE_NAMES.workerBackground).map((m) => m.name)).toEqual([
      'job-failure-rate',
    ]);
  });

  it('guards ratios with a minimum volume so a handful of requests cannot abort a release', () => {
    const [success] = metricsOf(ANALYSIS_TEMPLATE_NAMES.apiStep);
    expect(success!.provider.prometheus.query).toMatch(
      /and on\(\) sum\(increase\(http_requests_total\{.*\}\[120s\]\)\) >= 20$/,
    );
  });

  it('no data is inconclusive by default: neither condition matches an empty or NaN result', () => {
    const c = conditions('>=', 0.99, 'inconclusive');
    expect(c.successCondition).toBe('len(result) > 0 && !isNaN(result[0]) && result[0] >= 0.99');
    expect(c.failureCondition).toBe('len(result) > 0 && !isNaN(result[0]) && result[0] < 0.99');
  });

  it('no data passes explicitly when the environment says so; failure still needs data', () => {
    const c = conditions('<=', 0.5, 'pass');
    expect(c.successCondition).toBe('len(result) == 0 || isNaN(result[0]) || result[0] <= 0.5');
    expect(c.failureCondition).toBe('len(result) > 0 && !isNaN(result[0]) && result[0] > 0.5');
  });

  it('uses the configured thresholds', () => {
    const s = { ...settings.analysis, apiSuccessRate: 0.995, apiP95Seconds: 0.3 };
    const [success, latency] = metricsOf(ANALYSIS_TEMPLATE_NAMES.apiStep, s);
    expect(success!.successCondition).toMatch(/>= 0.995$/);
    expect(latency!.successCondition).toMatch(/<= 0.3$/);
  });

  it('renders only the frontend smoke test when analysis is off (dev), nothing in preview mode', () => {
    expect(
      analysisTemplates(sampleContext(), { ...settings.analysis, enabled: false }).map(
        (t) => t.metadata.name,
      ),
    ).toEqual([ANALYSIS_TEMPLATE_NAMES.frontendSmoke]);
    expect(
      analysisTemplates(sampleContext({ preview: true, namespace: undefined }), settings.analysis),
    ).toEqual([]);
  });

  it('the rate window is twice the interval, never under two minutes', () => {
    expect(rateWindow('1m')).toBe('120s');
    expect(rateWindow('5m')).toBe('600s');
    expect(rateWindow('10s')).toBe('120s');
    expect(() => rateWindow('5 minutes')).toThrow(
      'malformed duration "5 minutes" (expected e.g. 24h, 1h30m, 90m, 2d)',
    );
  });
});

describe('strategy fragments', () => {
  const steps = [
    { setWeight: 20 },
    { pause: { duration: '5m' } },
    { setWeight: 50 },
    { pause: { duration: '5m' } },
  ];

  it('gates each pause with an inline analysis of the canary hash', () => {
    const gated = gateCanarySteps(steps, settings.analysis);
    expect(gated.map((s) => Object.keys(s)[0])).toEqual([
      'setWeight',
      'pause',
      'analysis',
      'setWeight',
      'pause',
      'analysis',
    ]);
    expect(gated[2]).toEqual({
      analysis: {
        templates: [{ templateName: 'api-canary-step' }],
        args: [{ name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } }],
      },
    });
  });

  it('leaves steps alone when analysis is off', () => {
    expect(gateCanarySteps(steps, { ...settings.analysis, enabled: false })).toBe(steps);
    expect(apiBackgroundAnalysis({ ...settings.analysis, enabled: false })).toBeUndefined();
  });

  it('blue/green: pre-promotion always, post-promotion only when asked', () => {
    expect(Object.keys(frontendBlueGreenAnalysis(settings.analysis))).toEqual(['prePromotionAnalysis']);
    expect(Object.keys(frontendBlueGreenAnalysis({ ...settings.analysis, postPromotion: true }))).toEqual([
      'prePromotionAnalysis',
      'postPromotionAnalysis',
    ]);
  });
});
