/**
 * What every builder knows about the three apps of the environment being rendered: names,
 * selectors, ports and replica bounds, derived once from the environment file and the catalogue
 * (`appRefs`), so selectors, ports and names are never repeated by hand in two places.
 */
import { APP_NAMES, APPS, type AppName } from '../catalogue/apps.js';
import { type Environment, resolvedReplicas } from '../environments/schema.js';
import { selectorLabels } from './labels.js';

export interface ResourceList {
  cpu: string;
  memory: string;
}

export interface AppRef {
  /** Workload (Rollout or Deployment) name; also the stable/active Service name for api and frontend. */
  name: string;
  /** Labels the workload selects its pods by (stable across ReplicaSets; no pod-template-hash). */
  selectorLabels: Record<string, string>;
  /** The container port serving HTTP, `/healthz`, `/readyz` and `/metrics`. */
  port: number;
  /** Name of that port on the container and Service (ServiceMonitor/PodMonitor refer to it by name). */
  portName: string;
  /** Port of the app's Services (routes and Ingresses point at the Service, not the pod). */
  servicePort: number;
  /** Container resource requests (cost summary, per replica). */
  requests: ResourceList;
  /** Replica bounds after autoscaling: equal when the app is not autoscaled. */
  minReplicas: number;
  maxReplicas: number;
}

function appRef(env: Environment, app: AppName, preview: boolean): AppRef {
  const settings = env.apps[app];
  const fixed = resolvedReplicas(app, settings);
  const [min, max] = preview
    ? [1, 1]
    : settings.autoscaling
      ? [settings.autoscaling.minReplicas, settings.autoscaling.maxReplicas]
      : [fixed ?? APPS[app].defaults.replicas, fixed ?? APPS[app].defaults.replicas];
  return {
    name: app,
    selectorLabels: selectorLabels(app, env.name),
    port: APPS[app].port,
    portName: 'http',
    servicePort: 80,
    requests: settings.resources.requests,
    minReplicas: min,
    maxReplicas: max,
  };
}

/** The apps of an environment as builders see them (one replica each in preview mode). */
export function appRefs(env: Environment, preview: boolean): Record<AppName, AppRef> {
  return Object.fromEntries(APP_NAMES.map((a) => [a, appRef(env, a, preview)])) as Record<AppName, AppRef>;
}
