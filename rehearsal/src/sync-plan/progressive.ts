/**
 * ApplicationSet Progressive Syncs in Argo CD v3.5.1, as far as they order Applications
 * (docs/rehearsal.md, "Sync plan"):
 *
 * - enabled only by the ApplicationSet controller's `--enable-progressive-syncs`, i.e. the
 *   `ARGOCD_APPLICATIONSET_CONTROLLER_ENABLE_PROGRESSIVE_SYNCS` variable that
 *   manifests/base/applicationset-controller/argocd-applicationset-controller-deployment.yaml
 *   reads from `argocd-cmd-params-cm` key `applicationsetcontroller.enable.progressive.syncs`
 *   (cmd/argocd-applicationset-controller/commands/applicationset_controller.go); without it
 *   applicationset/controllers/applicationset_controller.go `Reconcile` ignores the strategy;
 * - `strategy.type: RollingSync` with at least one step (applicationset/progressivesync/
 *   progressive_sync.go `RollingSyncStrategyEnabled`);
 * - each Application goes to the first step whose `matchExpressions` all select it: `In` needs the
 *   label with a listed value, `NotIn` a missing label or an unlisted value; any other operator
 *   selects nothing (`buildAppDependencyList`, `labelMatchedExpression`); an Application no step
 *   selects is never synced by the controller (docs/operator-manual/applicationset/
 *   Progressive-Syncs.md, "RollingSync");
 * - a step is synced only once every Application of every earlier step has the progressive
 *   status Healthy, i.e. is Synced and Healthy (`getAppsToSync`,
 *   `UpdateApplicationSetApplicationStatus`).
 */
import type { K8sObject } from '../model.js';

export const PROGRESSIVE_SYNCS_KEY = 'applicationsetcontroller.enable.progressive.syncs';

interface Expression {
  key?: string;
  operator?: string;
  values?: string[];
}
export interface RollingSync {
  steps: { matchExpressions: Expression[] }[];
}

/** `argocd-cmd-params-cm` in the Argo CD namespace with the key set to true. */
export const enablesProgressiveSyncs = (o: K8sObject): boolean =>
  o.kind === 'ConfigMap' &&
  o.metadata.name === 'argocd-cmd-params-cm' &&
  o.metadata.namespace === 'argocd' &&
  String(((o.data ?? {}) as Record<string, unknown>)[PROGRESSIVE_SYNCS_KEY]).toLowerCase() === 'true';

/** The ApplicationSet's RollingSync steps, when it has any. */
export const rollingSyncOf = (set: K8sObject): RollingSync | undefined => {
  const strategy = (set.spec as { strategy?: { type?: string; rollingSync?: { steps?: unknown[] } } })
    .strategy;
  if (strategy?.type !== 'RollingSync' || !strategy.rollingSync?.steps?.length) return undefined;
  const steps = strategy.rollingSync.steps as { matchExpressions?: Expression[] }[];
  return { steps: steps.map((s) => ({ matchExpressions: s.matchExpressions ?? [] })) };
};

const matches = (e: Expression, labels: Record<string, string>): boolean => {
  const value = labels[e.key ?? ''];
  if (value === undefined) return e.operator !== 'In';
  if (e.operator !== 'In' && e.operator !== 'NotIn') return false;
  return (e.values ?? []).includes(value) === (e.operator === 'In');
};

/** The 0-based step that selects the Application, -1 when none does. */
export const rollingStepOf = (rolling: RollingSync, app: K8sObject): number => {
  const labels = app.metadata.labels ?? {};
  return rolling.steps.findIndex((s) => s.matchExpressions.every((e) => matches(e, labels)));
};
