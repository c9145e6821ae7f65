/**
 * The order of the root Application's sync (docs/rehearsal.md, "Sync plan"), and the argocd-cm
 * entry that makes it an order at all.
 *
 * Argo CD applies a sync one wave at a time and waits for each wave's objects to be healthy
 * (argo-cd v3.5.1 gitops-engine/pkg/sync/sync_context.go). An Application has had no health
 * check since Argo CD 1.8 (docs/operator-manual/health.md, "Argo CD App";
 * resource_customizations/argoproj.io/Application holds none), so without one the root would
 * create every platform Application at once, and the ApplicationSets' Applications would
 * dry-run custom resources whose CRDs are still being installed. The check below is the one
 * that page gives; the controller reloads it on every sync iteration (controller/sync.go reads
 * the resource overrides each time it builds the sync context), so the root's later waves
 * already wait on it.
 */

import { PLATFORM } from '../../platform.js';
import type { K8sObject } from '../../render/types.js';
import { moduleSource } from '../factory.js';
import { meta } from '../labels.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

/**
 * Root waves: argocd-cm and the AppProjects first; the platform Applications in their own waves
 * (platform.ts, -3 to 1); the ApplicationSets last, so every CRD an environment uses is installed
 * before the first generated Application syncs.
 */
export const ROOT_WAVES = { settings: -10, projects: -10, applicationSets: 2 } as const;

export const rootWave = (wave: keyof typeof ROOT_WAVES): Record<string, string> => ({
  'argocd.argoproj.io/sync-wave': String(ROOT_WAVES[wave]),
});

/** argo-cd v3.5.1 docs/operator-manual/health.md, "Argo CD App". */
const APPLICATION_HEALTH_LUA = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

/**
 * `argocd-cm` with the Application health check only: the root applies it client-side, which
 * keeps the keys the Argo CD install set. The `app.kubernetes.io/part-of: argocd` label is the
 * one Argo CD's settings informer selects (util/settings/settings.go partOfArgoCDSelector).
 */
export function applicationHealthConfigMap(): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(
      'argocd-cm',
      PLATFORM.argocdNamespace,
      { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
      rootWave('settings'),
    ),
    data: { 'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA },
  };
}
