/**
 * The observability chart (`gitops/<env>/observability/`): the PrometheusRule with the SLO alerts and
 * the Grafana dashboards (observability/alerts.ts, observability/dashboards.ts); none in previews.
 */
import { type EnvironmentChartFactory, moduleSource } from '../factory.js';
import { folderObjects } from '../objects.js';
import { addObject } from '../provenance.js';

export const observabilityChart: EnvironmentChartFactory = {
  id: 'observability',
  scope: 'environment',
  source: moduleSource(import.meta.url),
  build(ctx) {
    const objects = folderObjects(ctx, 'observability');
    if (objects.length === 0) return;
    const folder = ctx.folder('observability');
    for (const o of objects) addObject(folder, o.object, o.builder);
  },
};
