/**
 * Everything about an app's workload that the environment's operations settings decide, worked
 * out BEFORE the Rollout (or preview Deployment) is built: extra container environment, topology
 * spread, notification subscriptions, canary steps with their inline analysis, background or
 * blue/green analysis, and traffic routing (docs/design/argo.md §Analysis).
 * `builders` lists the modules that decided something, for the rendered file's header.
 */
import type { AppName } from '../../catalogue/apps.js';
import { resolvedStrategy } from '../../environments/schema.js';
import * as notifications from '../argocd/notifications.js';
import type { BuilderContext } from '../context.js';
import * as analysis from './analysis.js';
import * as appEnv from './app-env.js';
import * as availability from './availability.js';
import * as exposure from './exposure.js';

type Json = Record<string, unknown>;

export interface CanaryPlan {
  /** Keep `stableService`: only with a traffic router (see `workloadPlan`). */
  stableService: boolean;
  trafficRouting?: Json;
  /** Inline analysis after every pause of the configured steps (analysis.ts#gateCanarySteps). */
  gateSteps?: (steps: analysis.CanaryStep[]) => analysis.CanaryStep[];
  /** Background analysis for the whole rollout. */
  analysis?: Json;
}

export interface BlueGreenPlan {
  prePromotionAnalysis?: Json;
  postPromotionAnalysis?: Json;
}

export interface WorkloadPlan {
  /** Appended to the app container's `env` (Secret references, bind address, tracing). */
  env: appEnv.EnvVar[];
  /** Rollout `metadata.annotations` beyond the sync wave (notification subscriptions). */
  annotations: Record<string, string>;
  /** Pod template `topologySpreadConstraints`. */
  topologySpread?: Json[];
  canary?: CanaryPlan;
  blueGreen?: BlueGreenPlan;
  /** Modules that decided part of the workload. */
  builders: string[];
}

/** The plan of `app` in the environment of `ctx` (a preview Deployment gets only its env). */
export function workloadPlan(ctx: BuilderContext, app: AppName): WorkloadPlan {
  const s = ctx.env;
  const plan: WorkloadPlan = { env: appEnv.appEnv(ctx, s, app), annotations: {}, builders: [appEnv.MODULE] };
  if (ctx.preview) return plan;
  const spread = availability.topologySpread(s, ctx.apps[app]);
  if (spread) {
    plan.topologySpread = spread;
    plan.builders.push(availability.MODULE);
  }
  plan.annotations = notifications.rolloutSubscriptions(s);
  plan.builders.push(notifications.MODULE);
  const strategy = resolvedStrategy(app, s.apps[app]).kind;
  const on = s.analysis.enabled;
  if (strategy === 'canary') {
    // Replica-weighted canary: the controller would pin `stableService` to the stable ReplicaSet,
    // and the Ingress sends every request through that Service, so the canary would get no real
    // traffic and its analysis no data. Without it, `<app>` selects both ReplicaSets (traffic
    // follows the replica ratio) and `<app>-canary` still reaches only the canary.
    const trafficRouting = app === 'api' ? exposure.apiTrafficRouting(ctx, s) : undefined;
    plan.canary = { stableService: trafficRouting !== undefined };
    if (trafficRouting) {
      plan.canary.trafficRouting = trafficRouting;
      plan.builders.push(exposure.MODULE);
    }
    if (on && app === 'api') {
      plan.canary.gateSteps = (steps) => analysis.gateCanarySteps(steps, s.analysis);
      plan.canary.analysis = analysis.apiBackgroundAnalysis(s.analysis);
    } else if (on && app === 'worker') {
      plan.canary.analysis = analysis.workerBackgroundAnalysis(s.analysis);
    }
  } else if (app === 'frontend' && ctx.env.release.api?.image) {
    // The frontend's smoke test gates every blue/green switch, analysis on or off.
    plan.blueGreen = analysis.frontendBlueGreenAnalysis(s.analysis);
  } else if (on) {
    plan.blueGreen =
      app === 'frontend'
        ? analysis.frontendBlueGreenAnalysis(s.analysis)
        : {
            prePromotionAnalysis: {
              templates: [{ templateName: analysis.ANALYSIS_TEMPLATE_NAMES.apiStep }],
              args: [],
            },
          };
  }
  if (plan.blueGreen || (on && (plan.canary?.analysis || plan.canary?.gateSteps)))
    plan.builders.push(analysis.MODULE);
  return plan;
}
