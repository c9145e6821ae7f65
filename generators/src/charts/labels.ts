/**
 * Labels and annotations every rendered object carries: the recommended `app.kubernetes.io/*`
 * labels (kubernetes.io/docs/concepts/overview/working-with-objects/common-labels) plus the
 * environment label the policies and dashboards select on.
 */
import { APPS, type AppName, isAppName } from '../catalogue/apps.js';
import { PLATFORM } from '../platform.js';
import type { K8sObject } from '../render/types.js';

export const ENVIRONMENT_LABEL = `${PLATFORM.labelDomain}/environment`;
/** The owning team; required on workloads and Services by policies/require-labels. */
export const OWNER_LABEL = `${PLATFORM.labelDomain}/owner`;
export const CONFIG_HASH_ANNOTATION = `${PLATFORM.labelDomain}/config-hash`;
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * Argo CD sync waves (docs/design/argo.md §Sync waves and hooks): config first, then Services and analysis
 * templates, then workloads, then autoscalers and monitors.
 */
export const SYNC_WAVE = { namespace: -3, config: -2, services: -1, workloads: 0, autoscalers: 1 } as const;

export function syncWave(wave: number): Record<string, string> {
  return { [SYNC_WAVE_ANNOTATION]: String(wave) };
}

/** The immutable part: Rollout/Deployment selectors and Service selectors use exactly these. */
export function selectorLabels(app: AppName | string, env: string): Record<string, string> {
  return { 'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': `${app}-${env}` };
}

/**
 * Labels of every object belonging to an app (no version: it would churn Services on release).
 * `owner` defaults to the catalogue's owner of `app`.
 */
export function appLabels(app: AppName | string, env: string, owner?: string): Record<string, string> {
  const team = owner ?? (isAppName(app) ? APPS[app].owner : undefined);
  return {
    ...selectorLabels(app, env),
    'app.kubernetes.io/part-of': 'payday',
    'app.kubernetes.io/managed-by': 'payday-render',
    [ENVIRONMENT_LABEL]: env,
    ...(team ? { [OWNER_LABEL]: team } : {}),
  };
}

/** Labels of environment-wide objects (the Namespace, Argo CD objects). */
export function environmentLabels(env: string): Record<string, string> {
  return {
    'app.kubernetes.io/part-of': 'payday',
    'app.kubernetes.io/managed-by': 'payday-render',
    [ENVIRONMENT_LABEL]: env,
  };
}

/** Builds `metadata`, leaving out empty maps and an undefined namespace (stable, minimal YAML). */
export function meta(
  name: string,
  namespace: string | undefined,
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): K8sObject['metadata'] {
  const m: K8sObject['metadata'] = { name };
  if (namespace !== undefined) m.namespace = namespace;
  if (Object.keys(labels).length > 0) m.labels = labels;
  if (Object.keys(annotations).length > 0) m.annotations = annotations;
  return m;
}
