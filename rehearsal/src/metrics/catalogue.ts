/** Every metric the rehearsed cluster's Prometheus holds, and what exports it. */
import type { K8sObject } from '../model.js';
import { APP_DEFINITIONS, type AppMetricDefinitions, appExporters } from './apps.js';
import { type Catalogue, type ExportedMetric, scraped, type UpstreamComponent } from './exporter.js';
import type { Queries } from './queries.js';
import { argoCd } from './upstream/argo-cd.js';
import { argoRollouts } from './upstream/argo-rollouts.js';
import { cloudnativePg } from './upstream/cloudnative-pg.js';
import { kubeStateMetrics } from './upstream/kube-state-metrics.js';

/** The pinned upstream components whose metrics our queries may read, one committed list each. */
export const UPSTREAM: readonly UpstreamComponent[] = [argoRollouts, argoCd, kubeStateMetrics, cloudnativePg];

export interface CatalogueInputs {
  apps?: readonly AppMetricDefinitions[];
  upstream?: readonly UpstreamComponent[];
}

export function buildCatalogue(
  objects: readonly K8sObject[],
  queries: Queries,
  inputs: CatalogueInputs = {},
): Catalogue {
  const catalogue: Catalogue = { metrics: new Map(), unscraped: new Map() };
  const add = (m: ExportedMetric) =>
    catalogue.metrics.set(m.name, [...(catalogue.metrics.get(m.name) ?? []), m]);
  const apps = appExporters(objects, inputs.apps ?? APP_DEFINITIONS);
  apps.metrics.forEach(add);
  for (const u of apps.unscraped) catalogue.unscraped.set(u.metric, u);
  for (const component of inputs.upstream ?? UPSTREAM) {
    const scrape = component.scrape(objects);
    if ('unscraped' in scrape) {
      for (const m of component.metrics)
        catalogue.unscraped.set(m.name, {
          metric: m.name,
          source: `${component.component} ${component.version} ${m.source}`,
          reason: scrape.unscraped,
        });
    } else {
      scraped(component, scrape).forEach(add);
    }
  }
  for (const r of queries.records)
    add({
      name: r.name,
      type: 'untyped',
      labels: undefined,
      values: {},
      source: `recording rule in PrometheusRule/${r.object.metadata.namespace}/${r.object.metadata.name}`,
    });
  return catalogue;
}
