/**
 * Rollout strategy from the environment's settings (docs/design/argo.md §Progressive delivery).
 * Replica-weighted canary (no traffic router: ingress-nginx is retired), blue/green with an
 * active and a preview Service. What the operations settings decide (analysis, traffic routing)
 * comes in as the app's plan (plan.ts), so the strategy is complete when the workload is built.
 */

import type { AppName } from '../../catalogue/apps.js';
import { type AppSettings, resolvedStrategy } from '../../environments/schema.js';
import {
  RolloutSpecStrategyCanaryMaxSurge as MaxSurge,
  RolloutSpecStrategyCanaryMaxUnavailable as MaxUnavailable,
  RolloutSpecStrategyCanaryStepsPauseDuration as PauseDuration,
  type RolloutSpecStrategy,
  toJson_RolloutSpecStrategy,
} from '../../imports/rollouts-argoproj.io.js';
import type { CanaryStep } from './analysis.js';
import type { BlueGreenPlan, CanaryPlan } from './plan.js';
import type { ServiceNames } from './services.js';

const intOrString = <T>(
  cls: { fromNumber(n: number): T; fromString(s: string): T },
  v: number | string,
): T => (typeof v === 'number' ? cls.fromNumber(v) : cls.fromString(v));

function baseStrategy(app: AppName, settings: AppSettings, services: ServiceNames): RolloutSpecStrategy {
  const s = resolvedStrategy(app, settings);
  if (s.kind === 'canary') {
    return {
      canary: {
        ...(services.canary ? { canaryService: services.canary, stableService: services.stable } : {}),
        maxSurge: intOrString(MaxSurge, s.canary.maxSurge),
        maxUnavailable: intOrString(MaxUnavailable, s.canary.maxUnavailable),
        steps: (s.canary.steps ?? []).map((step) =>
          step.setWeight !== undefined
            ? { setWeight: step.setWeight }
            : {
                pause: step.pause?.duration
                  ? { duration: PauseDuration.fromString(step.pause.duration) }
                  : {},
              },
        ),
      },
    };
  }
  if (!services.preview) throw new Error(`${app}: blue/green needs an active and a preview Service`);
  return {
    blueGreen: {
      activeService: services.stable,
      previewService: services.preview,
      autoPromotionEnabled: s.blueGreen.autoPromotionEnabled,
      scaleDownDelaySeconds: s.blueGreen.scaleDownDelaySeconds,
      ...(s.blueGreen.previewReplicaCount !== undefined
        ? { previewReplicaCount: s.blueGreen.previewReplicaCount }
        : {}),
    },
  };
}

/**
 * The Rollout's `spec.strategy` as JSON: the settings' strategy (`baseStrategy`, through the CRD
 * import's mapping) completed by the plan's analysis and routing.
 */
export function rolloutStrategy(
  app: AppName,
  settings: AppSettings,
  services: ServiceNames,
  plan: { canary?: CanaryPlan; blueGreen?: BlueGreenPlan } = {},
): Record<string, Record<string, unknown>> {
  const json = toJson_RolloutSpecStrategy(baseStrategy(app, settings, services)) as Record<
    string,
    Record<string, unknown>
  >;
  const canary = json.canary;
  if (canary && plan.canary) {
    if (!plan.canary.stableService) delete canary.stableService;
    if (plan.canary.trafficRouting) canary.trafficRouting = plan.canary.trafficRouting;
    if (plan.canary.gateSteps)
      canary.steps = plan.canary.gateSteps((canary.steps as CanaryStep[] | undefined) ?? []);
    if (plan.canary.analysis) canary.analysis = plan.canary.analysis;
  }
  const blueGreen = json.blueGreen;
  if (blueGreen && plan.blueGreen) {
    if (plan.blueGreen.prePromotionAnalysis)
      blueGreen.prePromotionAnalysis = plan.blueGreen.prePromotionAnalysis;
    if (plan.blueGreen.postPromotionAnalysis)
      blueGreen.postPromotionAnalysis = plan.blueGreen.postPromotionAnalysis;
  }
  return json;
}
