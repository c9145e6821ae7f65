/**
 * The apps chart: one folder per enabled app (`gitops/<env>/<app>/`) holding its AppWorkload.
 * Registers each workload in the context so later factories can extend it.
 */
import { APP_NAMES } from '../../catalogue/apps.js';
import { type EnvironmentChartFactory, moduleSource } from '../factory.js';
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
      const workload = new AppWorkload(ctx.folder(app), app, {
        app,
        env: ctx.env.name,
        settings,
        release,
        preview: ctx.preview,
      });
      ctx.workloads.set(app, workload);
    }
  },
};
