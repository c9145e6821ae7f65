/**
 * Every object an environment's builders produce besides the Namespace and the app workloads,
 * each with the folder (Argo CD Application) it belongs to and the builder module that made it.
 * The folder charts (namespace/, app/, database/, observability/) each add their own folder's
 * objects, so one list decides what exists and every file's header names its builder.
 */
import { KEDA_QUEUE_DEPTH_SQL } from '@payday/db/queue-sql';
import { APP_NAMES, isAppName } from '../catalogue/apps.js';
import type { OpsSettings } from '../environments/sections/operations.js';
import type { K8sObject } from '../render/types.js';
import * as analysis from './app/analysis.js';
import * as autoscaling from './app/autoscaling.js';
import * as availability from './app/availability.js';
import * as exposure from './app/exposure.js';
import * as migration from './app/migration-job.js';
import * as monitors from './app/monitors.js';
import type { BuilderContext, FolderName } from './context.js';
import * as database from './database/database.js';
import * as secrets from './external-secrets.js';
import * as netpol from './network-policies.js';
import * as alerts from './observability/alerts.js';
import * as dashboards from './observability/dashboards.js';

export interface ObjectInputs {
  /** The worker's queue-depth query (imported from the worker package by the caller). */
  queueDepthQuery: string;
  hostnames: exposure.Hostnames;
}

export interface FolderObject {
  /** Application folder: `gitops/<env>/<group>/`. */
  group: FolderName;
  object: K8sObject;
  /** Repository-relative module of the builder that produced it. */
  builder: string;
}

/**
 * Every built object of one environment, grouped by the Argo CD Application (folder) it belongs to.
 * Preview mode leaves out what a pull-request namespace must not have: analysis (no Rollouts),
 * autoscalers (one replica), backups, alerts (nobody is paged for a PR), the KEDA reader.
 */
export function environmentObjects(
  ctx: BuilderContext,
  s: OpsSettings,
  inputs: ObjectInputs,
): FolderObject[] {
  const out: FolderObject[] = [];
  const add = (builder: string, group: FolderName, o: K8sObject | undefined) => {
    if (o) out.push({ group, object: o, builder });
  };
  const addAll = (builder: string, list: Array<{ group: FolderName; object: K8sObject }>) => {
    for (const { group, object } of list) add(builder, group, object);
  };
  addAll(secrets.MODULE, secrets.externalSecrets(ctx, s));
  addAll(netpol.MODULE, netpol.networkPolicies(ctx, s));
  for (const t of analysis.analysisTemplates(ctx, s.analysis))
    add(
      analysis.MODULE,
      t.metadata.name.startsWith('worker')
        ? 'worker'
        : t.metadata.name.startsWith('frontend')
          ? 'frontend'
          : 'api',
      t,
    );
  add(migration.MODULE, 'api', migration.migrationJob(ctx, s));
  add(autoscaling.MODULE, 'api', autoscaling.apiHpa(ctx, s));
  add(autoscaling.MODULE, 'worker', autoscaling.workerTriggerAuthentication(ctx));
  add(autoscaling.MODULE, 'worker', autoscaling.workerScaledObject(ctx, s, inputs.queueDepthQuery));
  addAll(availability.MODULE, availability.podDisruptionBudgets(ctx, s));
  addAll(exposure.MODULE, exposure.exposureObjects(ctx, s, inputs.hostnames));
  addAll(monitors.MODULE, monitors.appPodMonitors(ctx, s));
  for (const o of database.databaseObjects(ctx, s)) add(database.MODULE, 'database', o);
  if (!ctx.preview) {
    add(alerts.MODULE, 'observability', alerts.prometheusRule(ctx, s));
    for (const cm of dashboards.dashboardConfigMaps(ctx, s)) add(dashboards.MODULE, 'observability', cm);
  }
  return out;
}

/**
 * The objects of one folder of the environment being rendered. An app's folder is empty when the
 * app is disabled or has no release (nothing would run there).
 */
export function folderObjects(ctx: BuilderContext, group: FolderName): FolderObject[] {
  const enabled = new Set<string>(APP_NAMES.filter((a) => ctx.env.apps[a].enabled && ctx.env.release[a]));
  if (isAppName(group) && !enabled.has(group)) return [];
  const hostnames = Object.fromEntries(
    (['api', 'frontend'] as const).flatMap((a) => {
      const h = (ctx.env.apps[a] as { hostname?: string }).hostname;
      return h && enabled.has(a) ? [[a, h]] : [];
    }),
  );
  return environmentObjects(ctx, ctx.env, { queueDepthQuery: KEDA_QUEUE_DEPTH_SQL, hostnames }).filter(
    (o) => o.group === group,
  );
}
