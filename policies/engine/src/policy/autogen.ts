/**
 * Kyverno auto-generation for Pod controllers
 * (docs/design/policy-gate.md §Auto-generation for Pod controllers): a policy written for Pods also
 * judges the pod templates of controllers, by rewriting `object.spec` / `object.metadata` (and
 * `oldObject.…`) textually to the template path. We add Argo Rollouts as a controller (opt-in by
 * naming it in the controller list), because our workloads are Rollouts; a Rollout with
 * `spec.workloadRef` is judged through the template of the workload it references.
 */
export interface Controller {
  kind: string;
  group: string;
  resource: string;
  /** `template`: spec.template; `cronjob`: spec.jobTemplate.spec.template. */
  prefix: 'template' | 'cronjob';
}

const ALL: Controller[] = [
  { kind: 'DaemonSet', group: 'apps', resource: 'daemonsets', prefix: 'template' },
  { kind: 'Deployment', group: 'apps', resource: 'deployments', prefix: 'template' },
  { kind: 'Job', group: 'batch', resource: 'jobs', prefix: 'template' },
  { kind: 'StatefulSet', group: 'apps', resource: 'statefulsets', prefix: 'template' },
  { kind: 'ReplicaSet', group: 'apps', resource: 'replicasets', prefix: 'template' },
  { kind: 'ReplicationController', group: '', resource: 'replicationcontrollers', prefix: 'template' },
  { kind: 'CronJob', group: 'batch', resource: 'cronjobs', prefix: 'cronjob' },
  { kind: 'Rollout', group: 'argoproj.io', resource: 'rollouts', prefix: 'template' },
];

/**
 * Kyverno's default controller set
 * (docs/design/policy-gate.md §Auto-generation for Pod controllers): everything above except our
 * Rollout extension.
 */
export const DEFAULT_CONTROLLERS = ALL.filter((c) => c.kind !== 'Rollout');

export class AutogenError extends Error {}

/**
 * Resolves a controller list (`Deployment`, `deployments`, `rollouts.argoproj.io`, …) as written
 * in `pod-policies.kyverno.io/autogen-controllers` or `spec.autogen.podControllers.controllers`.
 * `none` disables autogen. Undefined → Kyverno's defaults.
 */
export function resolveControllers(list: readonly string[] | undefined | null): Controller[] {
  if (list === undefined || list === null) return DEFAULT_CONTROLLERS;
  if (list.length === 1 && list[0]!.trim().toLowerCase() === 'none') return [];
  return list
    .map((s) => s.trim())
    .filter(Boolean)
    .map((name) => {
      const key = name.toLowerCase().split('.')[0];
      const found = ALL.find((c) => c.kind.toLowerCase() === key || c.resource === key);
      if (!found) throw new AutogenError(`unknown autogen controller "${name}"`);
      return found;
    });
}

const PATHS = {
  template: 'spec.template',
  cronjob: 'spec.jobTemplate.spec.template',
} as const;

/**
 * `object.spec.x` → `object.spec.template.spec.x`
 * (docs/design/policy-gate.md §Auto-generation for Pod controllers: textual, like Kyverno).
 */
export function rewriteForController(expression: string, prefix: Controller['prefix']): string {
  return expression.replace(/\b(object|oldObject)\.(spec|metadata)\b/g, `$1.${PATHS[prefix]}.$2`);
}
