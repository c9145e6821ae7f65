/**
 * Rollout strategy from the environment's settings (docs/design/argo.md §Progressive delivery).
 * Replica-weighted canary (no traffic router: ingress-nginx is retired), blue/green with an
 * active and a preview Service. Analysis is attached later by the analysis constructs
 * (AppWorkload.setBackgroundAnalysis / setPrePromotionAnalysis).
 */

import type { AppName } from '../../catalogue/apps.js';
import { type AppSettings, resolvedStrategy } from '../../environments/schema.js';
import {
  RolloutSpecStrategyCanaryMaxSurge as MaxSurge,
  RolloutSpecStrategyCanaryMaxUnavailable as MaxUnavailable,
  RolloutSpecStrategyCanaryStepsPauseDuration as PauseDuration,
  type RolloutSpecStrategy,
} from '../../imports/rollouts-argoproj.io.js';
import type { ServiceNames } from './services.js';

const intOrString = <T>(
  cls: { fromNumber(n: number): T; fromString(s: string): T },
  v: number | string,
): T => (typeof v === 'number' ? cls.fromNumber(v) : cls.fromString(v));

export function rolloutStrategy(
  app: AppName,
  settings: AppSettings,
  services: ServiceNames,
): RolloutSpecStrategy {
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
