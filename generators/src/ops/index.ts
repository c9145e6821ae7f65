import { alertRules, prometheusRule } from './alerts.js';
import { analysisTemplates } from './analysis.js';
import { apiHpa, workerScaledObject, workerTriggerAuthentication } from './autoscaling.js';
import { podDisruptionBudgets } from './availability.js';
import type { OpsContext } from './context.js';
import { dashboardConfigMaps } from './dashboards.js';
import { databaseObjects } from './database.js';
import { exposureObjects, type Hostnames } from './exposure.js';
import { externalSecrets, type OpsGroup } from './external-secrets.js';
import type { K8sObject } from './k8s-object.js';
import { migrationJob } from './migration-job.js';
import { appPodMonitors } from './monitors.js';
import { networkPolicies } from './network-policies.js';
import type { OpsSettings } from './settings.js';

export * from './analysis.js';
export * from './app-env.js';
export * from './autoscaling.js';
export * from './availability.js';
export * from './context.js';
export * from './cost.js';
export * from './dashboards.js';
export * from './database.js';
export * from './exposure.js';
export * from './external-secrets.js';
export * from './k8s-object.js';
export * from './migration-job.js';
export * from './monitors.js';
export * from './names.js';
export * from './network-policies.js';
export * from './notifications.js';
export * from './platform.js';
export * from './runbook-links.js';
export * from './settings.js';
export { alertRules, prometheusRule };

export interface OpsInputs {
  /** The worker's queue-depth query (imported from the worker package by the caller). */
  queueDepthQuery: string;
  hostnames: Hostnames;
}

export interface OpsObject {
  /** Application folder: `gitops/<env>/<group>/`. */
  group: OpsGroup;
  object: K8sObject;
}

/**
 * Every ops object of one environment, grouped by the Argo CD Application (folder) it belongs to.
 * Preview mode leaves out what a pull-request namespace must not have: analysis (no Rollouts),
 * autoscalers (one replica), backups, alerts (nobody is paged for a PR), the KEDA reader.
 */
export function opsObjects(ctx: OpsContext, s: OpsSettings, inputs: OpsInputs): OpsObject[] {
  const out: OpsObject[] = [];
  const add = (group: OpsGroup, o: K8sObject | undefined) => {
    if (o) out.push({ group, object: o });
  };
  out.push(...externalSecrets(ctx, s));
  out.push(...networkPolicies(ctx, s));
  for (const t of analysisTemplates(ctx, s.analysis))
    add(
      t.metadata.name.startsWith('worker')
        ? 'worker'
        : t.metadata.name.startsWith('frontend')
          ? 'frontend'
          : 'api',
      t,
    );
  add('api', migrationJob(ctx, s));
  add('api', apiHpa(ctx, s));
  add('worker', workerTriggerAuthentication(ctx));
  add('worker', workerScaledObject(ctx, s, inputs.queueDepthQuery));
  out.push(...podDisruptionBudgets(ctx, s));
  out.push(...exposureObjects(ctx, s, inputs.hostnames));
  out.push(...appPodMonitors(ctx, s));
  for (const o of databaseObjects(ctx, s)) add('database', o);
  if (ctx.mode !== 'preview') {
    add('observability', prometheusRule(ctx, s));
    for (const cm of dashboardConfigMaps(ctx, s)) add('observability', cm);
  }
  return out;
}
