/**
 * The ops chart factories: add the operations objects to every environment and extend the app
 * workloads the apps chart built (analysis, secrets, topology, notifications), plus the platform
 * Applications and notification catalog under gitops/argocd/platform/.
 * Registered in generators/src/charts/registry.ts after the apps chart.
 */

import { fileURLToPath } from 'node:url';
import { KEDA_QUEUE_DEPTH_SQL } from '@payday/db/queue-sql';
import { ApiObject, JsonPatch } from 'cdk8s';
import { APP_NAMES, APPS, type AppName } from '../catalogue/apps.js';
import type { AppWorkload } from '../charts/app/workload.js';
import type { EnvironmentContext } from '../charts/context.js';
import { type EnvironmentChartFactory, type GlobalChartFactory, moduleSource } from '../charts/factory.js';
import { environmentLabels, selectorLabels } from '../charts/labels.js';
import { type Environment, resolvedReplicas, resolvedStrategy } from '../environments/schema.js';
import { RolloutSpecStrategyCanaryStepsPauseDuration as PauseDuration } from '../imports/rollouts-argoproj.io.js';
import { environmentProject } from '../platform.js';
import {
  ANALYSIS_TEMPLATE_NAMES,
  apiBackgroundAnalysis,
  type CanaryStep,
  frontendBlueGreenAnalysis,
  gateCanarySteps,
  workerBackgroundAnalysis,
} from './analysis.js';
import { appEnv } from './app-env.js';
import { argocdMetricsServiceMonitor } from './argocd-metrics.js';
import { topologySpread } from './availability.js';
import type { AppRef, OpsContext } from './context.js';
import { apiTrafficRouting } from './exposure.js';
import { opsObjects } from './index.js';
import {
  applicationSubscriptions,
  argocdNotificationsConfigMap,
  notificationSecrets,
  rolloutSubscriptions,
} from './notifications.js';
import { platformApplications } from './platform.js';
import { type OpsSettings, opsSection } from './settings.js';
import { assertOpsSettings } from './settings-problems.js';

/** Repository root (environment files' paths are relative to it). */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The ops settings of an environment (the environment schema has already applied the defaults). */
export function opsSettingsOf(env: Environment): OpsSettings {
  const e = env as unknown as OpsSettings;
  return Object.fromEntries(
    Object.keys(opsSection).map((k) => [k, e[k as keyof OpsSettings]]),
  ) as OpsSettings;
}

function appRef(env: Environment, app: AppName, preview: boolean): AppRef {
  const settings = env.apps[app];
  const fixed = resolvedReplicas(app, settings);
  const [min, max] = preview
    ? [1, 1]
    : settings.autoscaling
      ? [settings.autoscaling.minReplicas, settings.autoscaling.maxReplicas]
      : [fixed ?? APPS[app].defaults.replicas, fixed ?? APPS[app].defaults.replicas];
  return {
    name: app,
    selectorLabels: selectorLabels(app, env.name),
    port: APPS[app].port,
    portName: 'http',
    servicePort: 80,
    requests: settings.resources.requests,
    minReplicas: min,
    maxReplicas: max,
  };
}

/** The ops view of an environment: names, selectors, ports and replica bounds of its apps. */
export function opsContextFor(env: Environment, preview: boolean, namespace: string | undefined): OpsContext {
  return {
    env: env.name,
    mode: preview ? 'preview' : 'environment',
    namespace,
    commonLabels: environmentLabels(env.name),
    apps: Object.fromEntries(APP_NAMES.map((a) => [a, appRef(env, a, preview)])) as Record<AppName, AppRef>,
    apiImage: env.release.api?.image ?? '',
  };
}

export function opsContextOf(ctx: EnvironmentContext): OpsContext {
  return opsContextFor(ctx.env, ctx.preview, ctx.namespace);
}

/** JSON pointer segment escaping (RFC 6901: `~` → `~0`, `/` → `~1`). */
const pointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The canary steps as the apps chart rendered them from the environment settings. A JSON patch on
 * an imported Rollout goes through the import's `toJson` mapping, which reads int-or-string
 * fields from their wrapper class, so pause durations are built with that class here.
 */
function canarySteps(env: Environment, app: AppName): CanaryStep[] {
  const s = resolvedStrategy(app, env.apps[app]);
  if (s.kind !== 'canary') return [];
  return (s.canary.steps ?? []).map((step) =>
    step.setWeight !== undefined
      ? { setWeight: step.setWeight }
      : { pause: step.pause?.duration ? { duration: PauseDuration.fromString(step.pause.duration) } : {} },
  );
}

function extendWorkload(ctx: EnvironmentContext, octx: OpsContext, s: OpsSettings, w: AppWorkload): void {
  for (const e of appEnv(octx, s, w.app)) w.addEnv(e);
  if (w.kind !== 'Rollout') return;
  const spread = topologySpread(s, octx.apps[w.app]);
  if (spread) w.patch(JsonPatch.add('/spec/template/spec/topologySpreadConstraints', spread));
  for (const [k, v] of Object.entries(rolloutSubscriptions(s)))
    w.patch(JsonPatch.add(`/metadata/annotations/${pointer(k)}`, v));
  if (w.strategy === 'canary' && w.services?.canary) {
    const routing = w.app === 'api' ? apiTrafficRouting(octx, s) : undefined;
    if (routing) {
      w.patch(JsonPatch.add('/spec/strategy/canary/trafficRouting', routing));
    } else {
      // Replica-weighted canary: the controller would pin `stableService` to the stable ReplicaSet,
      // and the Ingress sends every request through that Service, so the canary would get no real
      // traffic and its analysis no data. Without it, `<app>` selects both ReplicaSets (traffic
      // follows the replica ratio) and `<app>-canary` still reaches only the canary.
      w.patch(JsonPatch.remove('/spec/strategy/canary/stableService'));
    }
  }
  // The frontend's smoke test gates every blue/green switch, analysis on or off.
  if (w.strategy === 'blueGreen' && w.app === 'frontend' && octx.apiImage) {
    const bg = frontendBlueGreenAnalysis(s.analysis) as {
      prePromotionAnalysis: never;
      postPromotionAnalysis?: never;
    };
    w.setPrePromotionAnalysis(bg.prePromotionAnalysis);
    if (bg.postPromotionAnalysis) w.setPostPromotionAnalysis(bg.postPromotionAnalysis);
    return;
  }
  if (!s.analysis.enabled) return;
  if (w.strategy === 'blueGreen') {
    const bg = frontendBlueGreenAnalysis(s.analysis) as {
      prePromotionAnalysis?: never;
      postPromotionAnalysis?: never;
    };
    const ref =
      w.app === 'frontend'
        ? bg
        : {
            prePromotionAnalysis: {
              templates: [{ templateName: ANALYSIS_TEMPLATE_NAMES.apiStep }],
              args: [],
            },
          };
    if (ref.prePromotionAnalysis) w.setPrePromotionAnalysis(ref.prePromotionAnalysis);
    if ('postPromotionAnalysis' in ref && ref.postPromotionAnalysis)
      w.setPostPromotionAnalysis(ref.postPromotionAnalysis);
    return;
  }
  if (w.app === 'api') {
    const steps = canarySteps(ctx.env, 'api');
    w.patch(JsonPatch.replace('/spec/strategy/canary/steps', gateCanarySteps(steps, s.analysis)));
    w.setBackgroundAnalysis(apiBackgroundAnalysis(s.analysis) as never);
  } else if (w.app === 'worker') {
    w.setBackgroundAnalysis(workerBackgroundAnalysis(s.analysis) as never);
  }
}

export const opsChart: EnvironmentChartFactory = {
  id: 'ops',
  scope: 'environment',
  source: moduleSource(import.meta.url),
  build(ctx) {
    const s = opsSettingsOf(ctx.env);
    // prod may not skip analysis, run <3 instances or go without backups (the gate checks the output too).
    assertOpsSettings(ctx.env, s, REPO_ROOT);
    const octx = opsContextOf(ctx);
    const enabled = new Set<string>(APP_NAMES.filter((a) => ctx.env.apps[a].enabled && ctx.env.release[a]));
    const hostnames = Object.fromEntries(
      (['api', 'frontend'] as const).flatMap((a) => {
        const h = (ctx.env.apps[a] as { hostname?: string }).hostname;
        return h && enabled.has(a) ? [[a, h]] : [];
      }),
    );
    for (const { group, object } of opsObjects(octx, s, {
      queueDepthQuery: KEDA_QUEUE_DEPTH_SQL,
      hostnames,
    })) {
      if ((APP_NAMES as readonly string[]).includes(group) && !enabled.has(group)) continue;
      // The namespace folder carries no default namespace (it holds the Namespace itself).
      const folder = ctx.folder(group, group === 'namespace' ? { namespace: ctx.namespace ?? null } : {});
      new ApiObject(folder, `${object.kind}-${object.metadata.name}`, object);
    }
    for (const w of ctx.workloads.values()) extendWorkload(ctx, octx, s, w);
  },
};

/** Platform Applications and the Argo CD notification catalog, with prod's settings (or the defaults). */
export const opsPlatformChart: GlobalChartFactory = {
  id: 'ops-platform',
  scope: 'global',
  source: moduleSource(import.meta.url),
  build(ctx) {
    const reference = ctx.environments.find((e) => e.name === 'prod') ?? ctx.environments[0];
    if (!reference) return;
    const s = opsSettingsOf(reference);
    const folder = ctx.folder('argocd/platform');
    for (const app of platformApplications(s)) new ApiObject(folder, `application-${app.metadata.name}`, app);
    const cm = argocdNotificationsConfigMap(s);
    new ApiObject(folder, `configmap-${cm.metadata.name}`, cm);
    const monitor = argocdMetricsServiceMonitor();
    new ApiObject(folder, `servicemonitor-${monitor.metadata.name}`, monitor);
    for (const es of notificationSecrets(s.secrets.store))
      new ApiObject(folder, `externalsecret-${es.metadata.name}`, es);
    // Each environment's Applications subscribe to its own destination (ApplicationSet template).
    const appSets = ctx
      .folder('argocd')
      .node.findAll()
      .filter((c): c is ApiObject => c instanceof ApiObject && c.kind === 'ApplicationSet');
    for (const env of ctx.environments) {
      const set = appSets.find((a) => a.metadata.name === environmentProject(env.name));
      set?.addJsonPatch(
        JsonPatch.add('/spec/template/metadata/annotations', applicationSubscriptions(opsSettingsOf(env))),
      );
    }
  },
};
