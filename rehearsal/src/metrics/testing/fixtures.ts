/** Small hand-built clusters for the provenance tests: one app, its PodMonitor, and queries over it. */
import type { ClusterObject, K8sObject, Scenario } from '../../model.js';

export const NS = 'payday-prod';

const meta = (name: string, extra: Partial<K8sObject['metadata']> = {}) => ({
  name,
  namespace: NS,
  ...extra,
});

export function rollout(app: string, strategy: Record<string, unknown> = { canary: {} }): K8sObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: meta(app),
    spec: {
      strategy,
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': `${app}-prod` } },
        spec: {
          containers: [
            {
              name: app,
              livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
              readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
            },
          ],
        },
      },
    },
  };
}

export function podMonitor(app: string): K8sObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: meta(app),
    spec: {
      podMetricsEndpoints: [{ port: 'http', path: '/metrics' }],
      podTargetLabels: ['rollouts-pod-template-hash', 'app.kubernetes.io/name'],
      selector: {
        matchLabels: { 'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': `${app}-prod` },
      },
    },
  };
}

export function analysisTemplate(name: string, metrics: Record<string, unknown>[]): K8sObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: meta(name),
    spec: { metrics },
  };
}

export const prometheusMetric = (name: string, query: string) => ({
  name,
  provider: { prometheus: { address: 'http://prometheus-operated.monitoring.svc:9090', query } },
});

export function alerts(rules: { alert?: string; record?: string; expr: string }[]): K8sObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: meta('payday-alerts'),
    spec: { groups: [{ name: 'payday', rules }] },
  };
}

export function dashboard(file: string, body: string): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('dashboard', { labels: { grafana_dashboard: '1' } }),
    data: { [file]: body },
  };
}

/** The argo-rollouts platform Application, as gitops/argocd/platform renders it. */
export function chartApplication(
  chart: string,
  namespace: string,
  valuesObject: Record<string, unknown>,
): K8sObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: chart, namespace: 'argocd' },
    spec: { destination: { namespace }, source: { chart, helm: { valuesObject } } },
  };
}

export const rolloutsApplication = () =>
  chartApplication('argo-rollouts', 'argo-rollouts', {
    controller: { metrics: { enabled: true, serviceMonitor: { enabled: true } } },
  });

export function scenario(objects: K8sObject[]): Scenario {
  const cluster: ClusterObject[] = objects.map((object) => ({
    object,
    origin: { kind: 'rendered', path: `${object.kind}.yaml` },
  }));
  return { name: 'prod', namespace: NS, objects: cluster };
}
