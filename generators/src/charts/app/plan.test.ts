import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEnvironments } from '../../environments/load.js';
import type { Environment } from '../../environments/schema.js';
import { appRefs } from '../app-ref.js';
import type { BuilderContext } from '../context.js';
import { environmentLabels } from '../labels.js';
import { MODULE as ANALYSIS } from './analysis.js';
import { MODULE as APP_ENV } from './app-env.js';
import { MODULE as AVAILABILITY } from './availability.js';
import { MODULE as EXPOSURE } from './exposure.js';
import { workloadPlan } from './plan.js';
import { rolloutStrategy } from './strategy.js';

const root = join(import.meta.dirname, '../../../..');
let envs: Environment[];
beforeAll(async () => {
  envs = await loadEnvironments(join(root, 'environments'), { root });
});

function ctxOf(
  name: string,
  edit: (e: Environment) => Environment = (e) => e,
  preview = false,
): BuilderContext {
  const env = edit(envs.find((e) => e.name === name)!);
  return {
    env,
    preview,
    namespace: preview ? undefined : `payday-${name}`,
    labels: environmentLabels(name),
    apps: appRefs(env, preview),
  };
}

describe('workload plans', () => {
  it('prod API: analysis gates every pause, no stableService without a router, spread over zones', () => {
    const ctx = ctxOf('prod');
    const plan = workloadPlan(ctx, 'api');
    expect(plan.builders).toEqual([
      APP_ENV,
      AVAILABILITY,
      'generators/src/charts/argocd/notifications.ts',
      ANALYSIS,
    ]);
    expect(plan.canary).toMatchObject({ stableService: false });
    expect(plan.topologySpread).toHaveLength(2);
    expect(Object.keys(plan.annotations)).not.toHaveLength(0);
    const strategy = rolloutStrategy('api', ctx.env.apps.api, { stable: 'api', canary: 'api-canary' }, plan);
    const steps = strategy.canary!.steps as Array<Record<string, unknown>>;
    // Every pause is followed by the inline analysis step.
    steps.forEach((step, i) => {
      if ('pause' in step) expect(steps[i + 1]).toHaveProperty('analysis');
    });
    expect(strategy.canary).not.toHaveProperty('stableService');
    expect(strategy.canary!.analysis).toMatchObject({ startingStep: 1 });
  });

  it('a traffic router keeps stableService and routes the API canary through the Gateway API plugin', () => {
    const ctx = ctxOf('prod', (e) => ({
      ...e,
      exposure: { ...e.exposure, apiTrafficRouting: 'gateway-api' },
    }));
    const plan = workloadPlan(ctx, 'api');
    expect(plan.builders).toContain(EXPOSURE);
    expect(plan.canary).toMatchObject({
      stableService: true,
      trafficRouting: {
        plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'api', namespace: 'payday-prod' } },
      },
    });
    const strategy = rolloutStrategy('api', ctx.env.apps.api, { stable: 'api', canary: 'api-canary' }, plan);
    expect(strategy.canary).toMatchObject({
      stableService: 'api',
      trafficRouting: plan.canary!.trafficRouting,
    });
  });

  it('the frontend is gated before and (prod) after the blue/green switch', () => {
    const plan = workloadPlan(ctxOf('prod'), 'frontend');
    expect(plan.blueGreen?.prePromotionAnalysis).toBeDefined();
    expect(plan.blueGreen?.postPromotionAnalysis).toBeDefined();
    expect(plan.canary).toBeUndefined();
  });

  it('analysis switched off (dev): no analysis, and analysis.ts decides nothing', () => {
    const plan = workloadPlan(ctxOf('dev'), 'worker');
    expect(plan.canary).toEqual({ stableService: false });
    expect(plan.builders).not.toContain(ANALYSIS);
  });

  it('preview: the container environment only (no Rollout to annotate, spread or analyse)', () => {
    const plan = workloadPlan(ctxOf('dev', undefined, true), 'api');
    expect(plan).toEqual({ env: plan.env, annotations: {}, builders: [APP_ENV] });
    expect(plan.env.map((e) => e.name)).toContain('DATABASE_URL');
  });
});
