/**
 * The app chart: one folder per enabled app (`gitops/<env>/<app>/`) holding its workload
 * (AppWorkload: Rollout or preview Deployment, Services, ConfigMap, ServiceAccount), built from
 * its plan (plan.ts), and the app's other objects: analysis templates, autoscalers, the
 * migration Job, PodDisruptionBudget, Ingress, PodMonitor, NetworkPolicies and ExternalSecrets.
 */
import { APP_NAMES } from '../../catalogue/apps.js';
import { type EnvironmentChartFactory, moduleSource } from '../factory.js';
import { folderObjects } from '../objects.js';
import { addObject, builtBy } from '../provenance.js';
import { workloadPlan } from './plan.js';
import { AppWorkload } from './workload.js';

export const appsChart: EnvironmentChartFactory = {
  id: 'apps',
  scope: 'environment',
  source: moduleSource(import.meta.url),
  build(ctx) {
    for (const app of APP_NAMES) {
      const settings = ctx.env.apps[app];
      const release = ctx.env.release[app];
      if (!settings.enabled || !release) continue;
      const folder = ctx.folder(app);
      const { builders, ...plan } = workloadPlan(ctx, app);
      const workload = new AppWorkload(folder, app, {
        app,
        env: ctx.env.name,
        settings,
        release,
        preview: ctx.preview,
        plan,
      });
      builtBy(workload.workload, ...builders);
      for (const o of folderObjects(ctx, app)) addObject(folder, o.object, o.builder);
    }
  },
};
