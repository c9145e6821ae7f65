/** Which platform component an Application installs (components.ts), by chart and version. */
import type { K8sObject } from '../model.js';
import { PLATFORM_COMPONENTS, type PlatformComponent, type Values } from './components.js';

interface HelmSource {
  chart?: string;
  targetRevision?: string;
  helm?: { valuesObject?: Values };
}

const source = (app: K8sObject): HelmSource =>
  ((app.spec as { source?: HelmSource }).source ?? {}) as HelmSource;

export const chartOf = (app: K8sObject): string =>
  `${source(app).chart ?? '?'} ${source(app).targetRevision ?? '?'}`;

export const valuesOf = (app: K8sObject): Values => source(app).helm?.valuesObject ?? {};

export const componentFor = (app: K8sObject): PlatformComponent | undefined => {
  const { chart, targetRevision } = source(app);
  return PLATFORM_COMPONENTS.find((c) => c.chart === chart && c.version === targetRevision);
};
