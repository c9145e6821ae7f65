/**
 * What the ops builders need to know about the environment being rendered and about the three
 * workloads the core charts render. The render pipeline fills this from the environment file and
 * its own app settings, so selectors, ports and names are never repeated by hand in two places.
 */
export type AppName = 'api' | 'frontend' | 'worker';
export const APP_NAMES: readonly AppName[] = ['api', 'frontend', 'worker'];

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

export interface OpsContext {
  /** Environment name (`dev`, `staging`, `prod`, or `preview`). */
  env: string;
  /**
   * `preview` renders plain Deployments, namespace-less, with no prod secrets
   * (docs/design/environments.md §Preview environments).
   */
  mode: 'environment' | 'preview';
  /** Namespace of the environment; `undefined` in preview mode. */
  namespace: string | undefined;
  /** Labels stamped on every object (environment, part-of, owner, managed-by). */
  commonLabels: Record<string, string>;
  apps: Record<AppName, AppRef>;
  /** Image of the API (the migration hook runs the API image so schema and code travel together). */
  apiImage: string;
}
