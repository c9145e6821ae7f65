/** Reading a platform Application's Helm values from the rendered `gitops/argocd/platform/` objects. */
import type { K8sObject } from '../../model.js';

/** The Argo CD Application that installs `chart`, if the scenario holds one. */
export function chartApplication(objects: readonly K8sObject[], chart: string): K8sObject | undefined {
  return objects.find(
    (o) =>
      o.kind === 'Application' &&
      (o.spec as { source?: { chart?: string } } | undefined)?.source?.chart === chart,
  );
}

/** The value at `path` in the Application's `helm.valuesObject` (undefined when unset). */
export function helmValue(app: K8sObject, path: readonly string[]): unknown {
  let v: unknown = (app.spec as { source?: { helm?: { valuesObject?: unknown } } }).source?.helm
    ?.valuesObject;
  for (const key of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

export const destinationNamespace = (app: K8sObject): string | undefined =>
  (app.spec as { destination?: { namespace?: string } }).destination?.namespace;
