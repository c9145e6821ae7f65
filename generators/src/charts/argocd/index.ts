/**
 * The Argo CD chart (`gitops/argocd/`): root Application, AppProjects (one per environment plus
 * `platform`, `preview`, and the neutered `default`), one ApplicationSet per environment.
 */
import { type GlobalChartFactory, moduleSource } from '../factory.js';
import {
  defaultProjectObject,
  environmentProjectObject,
  platformProjectObject,
  previewProjectObject,
} from './app-project.js';
import { environmentApplicationSet } from './application-set.js';
import { rootApplication } from './root-application.js';

export const argocdChart: GlobalChartFactory = {
  id: 'argocd',
  scope: 'global',
  source: moduleSource(import.meta.url),
  build(ctx) {
    const chart = ctx.folder('argocd');
    rootApplication(chart);
    defaultProjectObject(chart);
    platformProjectObject(chart);
    previewProjectObject(chart);
    for (const env of ctx.environments) {
      environmentProjectObject(chart, env);
      environmentApplicationSet(chart, env);
    }
  },
};
