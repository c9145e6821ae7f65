/**
 * The Argo CD chart: every Argo CD object. `gitops/argocd/`: the root Application, the AppProjects
 * (one per environment plus `platform`, `preview`, and the neutered `default`), one ApplicationSet
 * per environment (its Applications subscribed to the environment's notifications) and the
 * pull-request ApplicationSet. `gitops/argocd/platform/`: the platform Applications and the
 * notification catalog. `gitops/platform/secrets/`: the credentials Argo CD and Rollouts read, synced
 * by their own Application once External Secrets is up. Platform-wide settings are prod's (or the
 * first environment's).
 */
import { type GlobalChartFactory, moduleSource } from '../factory.js';
import { addObject, builtBy } from '../provenance.js';
import * as projects from './app-project.js';
import * as appSets from './application-set.js';
import * as argocdMetrics from './argocd-metrics.js';
import * as notifications from './notifications.js';
import * as platform from './platform.js';
import * as preview from './preview.js';
import * as rollingSync from './rolling-sync.js';
import * as root from './root-application.js';
import * as rootWaves from './root-waves.js';

export const argocdChart: GlobalChartFactory = {
  id: 'argocd',
  scope: 'global',
  source: moduleSource(import.meta.url),
  build(ctx) {
    const chart = ctx.folder('argocd');
    builtBy(root.rootApplication(chart), root.MODULE);
    addObject(chart, rootWaves.applicationHealthConfigMap(), rootWaves.MODULE);
    addObject(chart, rollingSync.cmdParamsConfigMap(), rollingSync.MODULE);
    builtBy(projects.defaultProjectObject(chart), projects.MODULE);
    builtBy(projects.platformProjectObject(chart), projects.MODULE);
    builtBy(projects.previewProjectObject(chart), projects.MODULE);
    for (const env of ctx.environments) {
      builtBy(projects.environmentProjectObject(chart, env), projects.MODULE);
      const subscriptions = notifications.applicationSubscriptions(env);
      builtBy(
        appSets.environmentApplicationSet(chart, env, subscriptions),
        appSets.MODULE,
        notifications.MODULE,
      );
    }

    const reference = ctx.environments.find((e) => e.name === 'prod') ?? ctx.environments[0];
    if (reference) {
      const folder = ctx.folder('argocd/platform');
      for (const app of platform.platformApplications(reference)) addObject(folder, app, platform.MODULE);
      addObject(folder, platform.policiesApplication(), platform.MODULE);
      addObject(folder, platform.platformSecretsApplication(), platform.MODULE);
      addObject(folder, notifications.argocdNotificationsConfigMap(reference), notifications.MODULE);
      addObject(folder, argocdMetrics.argocdMetricsServiceMonitor(), argocdMetrics.MODULE);
      for (const es of notifications.notificationSecrets(reference.secrets.store))
        addObject(ctx.folder(platform.SECRETS_FOLDER), es, notifications.MODULE);
    }

    // Pull-request previews exist when their base environment does (render/preview.ts renders them).
    if (ctx.environments.some((e) => e.name === preview.PREVIEW_BASE)) {
      addObject(chart, preview.previewApplicationSet(), preview.MODULE);
      addObject(ctx.folder(platform.SECRETS_FOLDER), preview.previewTokenSecret(), preview.MODULE);
    }
  },
};
