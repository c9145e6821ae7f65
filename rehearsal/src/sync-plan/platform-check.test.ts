import { describe, expect, it } from 'vitest';
import type { ClusterObject } from '../model.js';
import { buildPlan } from './plan.js';
import { checkPlatform, platformCheck, serviceReferences } from './platform-check.js';
import { applicationHealth, chartApp, obj, rendered, root, scenario } from './testing/build.js';

const messages = (objects: ClusterObject[]) =>
  checkPlatform(buildPlan(scenario(objects))).map((f) => `${f.subject}: ${f.message}`);

const otel = (values: Record<string, unknown>) =>
  chartApp('opentelemetry-collector', 'opentelemetry-collector', '0.172.0', 'observability', 1, values);
const tempo = chartApp('tempo', 'tempo', '1.24.1', 'observability', 0);
const workload = rendered(
  'argocd/deployment-api.yaml',
  obj('apps/v1', 'Deployment', 'api', {
    namespace: 'argocd',
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'api',
              env: [
                {
                  name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
                  value: 'http://otel-collector.observability.svc:4318',
                },
              ],
            },
          ],
        },
      },
    },
  }),
);

describe('serviceReferences', () => {
  it('finds in-cluster DNS names with their port, from the scheme when none is written', () => {
    expect(
      serviceReferences({
        a: ['http://prometheus-operated.monitoring.svc:9090'],
        b: 'loki-gateway.observability.svc.cluster.local',
        c: 'https://x.y.svc/path',
      }),
    ).toEqual([
      {
        name: 'prometheus-operated',
        namespace: 'monitoring',
        port: 9090,
        text: 'http://prometheus-operated.monitoring.svc:9090',
        path: 'a[]',
      },
      {
        name: 'loki-gateway',
        namespace: 'observability',
        text: 'loki-gateway.observability.svc.cluster.local',
        path: 'b',
      },
      { name: 'x', namespace: 'y', port: 443, text: 'https://x.y.svc', path: 'c' },
    ]);
    expect(serviceReferences('https://kubernetes.default.svc')).toEqual([]);
  });
});

describe('platform dependencies', () => {
  it('catches a reference to the collector Service that daemonset mode does not create', () => {
    const fullname = { fullnameOverride: 'otel-collector', mode: 'daemonset' };
    expect(messages([...root(), applicationHealth(-10), tempo, otel(fullname), workload])).toEqual([
      'Deployment/argocd/api: Deployment/argocd/api references http://otel-collector.observability.svc:4318 (spec.template.spec.containers[].env[].value), but no Service otel-collector in observability is in the plan: Application/argocd/tempo (chart tempo 1.24.1) installs there and creates tempo with the values we pass; Application/argocd/opentelemetry-collector (chart opentelemetry-collector 0.172.0) installs there and creates no Service with the values we pass',
    ]);
    expect(
      messages([
        ...root(),
        applicationHealth(-10),
        tempo,
        otel({ ...fullname, service: { enabled: true } }),
        workload,
      ]),
    ).toEqual([]);
  });

  it('catches a port the Service does not serve', () => {
    const wrongPort = rendered(
      'argocd/configmap-x.yaml',
      obj('v1', 'ConfigMap', 'x', { namespace: 'argocd', data: { TEMPO: 'tempo.observability.svc:9999' } }),
    );
    expect(messages([...root(), tempo, wrongPort])).toEqual([
      'ConfigMap/argocd/x: ConfigMap/argocd/x references tempo.observability.svc:9999 (data.TEMPO), but Service observability/tempo (chart tempo 1.24.1) serves ports 3200, 4317, 4318, not 9999',
    ]);
  });

  it('catches an ExternalSecret merging into a Secret nothing creates, and an unknown store', () => {
    const merge = rendered(
      'argocd/externalsecret-n.yaml',
      obj('external-secrets.io/v1', 'ExternalSecret', 'argo-rollouts-notification-secret', {
        namespace: 'argo-rollouts',
        spec: {
          secretStoreRef: { kind: 'ClusterSecretStore', name: 'elsewhere' },
          target: { name: 'argo-rollouts-notification-secret', creationPolicy: 'Merge' },
        },
      }),
    );
    const rollouts = chartApp('argo-rollouts', 'argo-rollouts', '2.41.1', 'argo-rollouts', 0);
    expect(messages([...root(), rollouts, merge])).toEqual([
      'ExternalSecret/argo-rollouts/argo-rollouts-notification-secret: ExternalSecret/argo-rollouts/argo-rollouts-notification-secret reads from ClusterSecretStore/elsewhere, which nothing in the plan provides',
      'ExternalSecret/argo-rollouts/argo-rollouts-notification-secret: ExternalSecret/argo-rollouts/argo-rollouts-notification-secret merges into Secret/argo-rollouts/argo-rollouts-notification-secret (creationPolicy: Merge), which nothing in the plan creates: Application/argocd/argo-rollouts (chart argo-rollouts 2.41.1) installs there and creates no Secret with the values we pass',
    ]);
    const created = chartApp('argo-rollouts', 'argo-rollouts', '2.41.1', 'argo-rollouts', 0, {
      notifications: { secret: { create: true } },
    });
    expect(messages([...root(), created, merge])).toHaveLength(1);
  });

  it('fails closed on a chart it does not describe', () => {
    expect(messages([...root(), chartApp('mystery', 'mystery', '1.0.0', 'x', 0)])).toEqual([
      'Application/argocd/mystery: Application/argocd/mystery installs chart mystery 1.0.0, which rehearsal/src/platform/components.ts does not describe: the rehearsal cannot tell what it provides',
    ]);
    expect(platformCheck.run(scenario([]))).toEqual([
      {
        check: 'platform',
        severity: 'error',
        subject: 'test',
        message: 'test: no root Application (one that syncs its own folder)',
      },
    ]);
  });
});
