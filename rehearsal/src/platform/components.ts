/**
 * What each platform Application installs, with the values we pass (docs/rehearsal.md, "Platform
 * dependencies"). Every fact names the chart source it was read from, at the pinned chart tag.
 * Where the pinned tag was not readable offline the nearest earlier tag is cited and says so.
 *
 * A component is keyed by chart name and version: an Application installing a chart or version
 * that has no entry here fails the rehearsal (it cannot tell what that chart provides).
 */

/** A CustomResourceDefinition the chart installs (`group/Kind`). */
export interface ProvidedCrd {
  group: string;
  kind: string;
}

/** A Service the chart (or the operator it installs) creates: `<name>.<namespace>.svc`. */
export interface ProvidedService {
  name: string;
  ports: number[];
  source: string;
}

/** A Secret the chart creates. */
export interface ProvidedSecret {
  name: string;
  source: string;
}

/** The Helm values an Application passes (`spec.source.helm.valuesObject`). */
export type Values = Record<string, unknown>;

export interface PlatformComponent {
  chart: string;
  version: string;
  crds: { source: string; kinds: ProvidedCrd[] };
  services(values: Values): ProvidedService[];
  secrets(values: Values): ProvidedSecret[];
  /** CRDs the chart's own objects need with these values (ServiceMonitors once enabled). */
  requires(values: Values): { crd: ProvidedCrd; because: string; source: string }[];
}

/** `a.b.c` of a values object, `undefined` when any step is missing. */
export const valueAt = (values: Values, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (at, key) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined),
      values,
    );

const SERVICE_MONITOR: ProvidedCrd = { group: 'monitoring.coreos.com', kind: 'ServiceMonitor' };

/** The ServiceMonitor a chart renders once `path` is true. */
const serviceMonitorWhen =
  (path: string, source: string) =>
  (values: Values): ReturnType<PlatformComponent['requires']> =>
    valueAt(values, path) === true
      ? [{ crd: SERVICE_MONITOR, because: `${path}: true renders a ServiceMonitor`, source }]
      : [];

const none = (): [] => [];

const kinds = (group: string, ...names: string[]): ProvidedCrd[] => names.map((kind) => ({ group, kind }));

export const PLATFORM_COMPONENTS: PlatformComponent[] = [
  {
    chart: 'argo-rollouts',
    version: '2.41.1',
    crds: {
      // installCRDs: true (our value) renders templates/crds/*.yaml.
      source: 'argo-helm argo-rollouts-2.41.0 (nearest readable tag) charts/argo-rollouts/templates/crds/',
      kinds: kinds(
        'argoproj.io',
        'Rollout',
        'AnalysisTemplate',
        'ClusterAnalysisTemplate',
        'AnalysisRun',
        'Experiment',
      ),
    },
    services: none,
    // notifications.secret.create defaults to false: the chart creates no
    // argo-rollouts-notification-secret (charts/argo-rollouts/values.yaml,
    // templates/controller/notifications-secret.yaml).
    secrets: (values) =>
      valueAt(values, 'notifications.secret.create') === true
        ? [
            {
              name: 'argo-rollouts-notification-secret',
              source:
                'argo-helm argo-rollouts-2.41.0 charts/argo-rollouts/templates/controller/notifications-secret.yaml',
            },
          ]
        : [],
    requires: serviceMonitorWhen(
      'controller.metrics.serviceMonitor.enabled',
      'argo-helm argo-rollouts-2.41.0 charts/argo-rollouts/templates/controller/servicemonitor.yaml',
    ),
  },
  {
    chart: 'cert-manager',
    version: 'v1.19.1',
    crds: {
      // crds.enabled: true (our value) renders the CRD templates.
      source: 'cert-manager v1.19.1 deploy/charts/cert-manager/templates/crd-*.yaml',
      kinds: kinds('cert-manager.io', 'Certificate', 'CertificateRequest', 'Issuer', 'ClusterIssuer').concat(
        kinds('acme.cert-manager.io', 'Order', 'Challenge'),
      ),
    },
    services: none,
    secrets: none,
    requires: serviceMonitorWhen(
      'prometheus.servicemonitor.enabled',
      'cert-manager v1.19.1 deploy/charts/cert-manager/templates/servicemonitor.yaml',
    ),
  },
  {
    chart: 'cloudnative-pg',
    version: '0.29.0',
    crds: {
      // crds.create: true (our value) renders templates/crds/crds.yaml.
      source: 'cloudnative-pg/charts cloudnative-pg-v0.29.0 charts/cloudnative-pg/templates/crds/crds.yaml',
      kinds: kinds(
        'postgresql.cnpg.io',
        'Backup',
        'Cluster',
        'ClusterImageCatalog',
        'Database',
        'DatabaseRole',
        'FailoverQuorum',
        'ImageCatalog',
        'Pooler',
        'Publication',
        'ScheduledBackup',
        'Subscription',
      ),
    },
    services: none,
    secrets: none,
    requires: none,
  },
  {
    chart: 'plugin-barman-cloud',
    version: '0.7.0',
    crds: {
      source:
        'cloudnative-pg/charts plugin-barman-cloud-v0.7.0 charts/plugin-barman-cloud/templates/crds/crds.yaml',
      kinds: kinds('barmancloud.cnpg.io', 'ObjectStore'),
    },
    services: none,
    secrets: none,
    // The plugin's TLS: an Issuer and two Certificates, rendered unconditionally.
    requires: () =>
      ['Issuer', 'Certificate'].map((kind) => ({
        crd: { group: 'cert-manager.io', kind },
        because: `the chart renders a cert-manager ${kind} for the plugin's TLS`,
        source:
          'cloudnative-pg/charts plugin-barman-cloud-v0.7.0 charts/plugin-barman-cloud/templates/certificate-issuer.yaml, server-certificate.yaml, client-certificate.yaml',
      })),
  },
  {
    chart: 'external-secrets',
    version: '2.9.0',
    crds: {
      // installCRDs: true (values.yaml default, and ours); the CRDs are packaged into
      // templates/crds/ at release time (templates/crds/README.md).
      source: 'external-secrets helm-chart-2.9.0 deploy/charts/external-secrets/templates/crds/',
      kinds: kinds(
        'external-secrets.io',
        'ExternalSecret',
        'SecretStore',
        'ClusterSecretStore',
        'ClusterExternalSecret',
        'PushSecret',
      ),
    },
    services: none,
    secrets: none,
    requires: serviceMonitorWhen(
      'serviceMonitor.enabled',
      'external-secrets helm-chart-2.9.0 deploy/charts/external-secrets/templates/servicemonitor.yaml',
    ),
  },
  {
    chart: 'keda',
    version: '2.20.2',
    crds: {
      source: 'kedacore/charts v2.20.2 keda/templates/crds/',
      kinds: kinds(
        'keda.sh',
        'ScaledObject',
        'ScaledJob',
        'TriggerAuthentication',
        'ClusterTriggerAuthentication',
      ).concat(kinds('eventing.keda.sh', 'CloudEventSource', 'ClusterCloudEventSource')),
    },
    services: none,
    secrets: none,
    requires: serviceMonitorWhen(
      'prometheus.operator.serviceMonitor.enabled',
      'kedacore/charts v2.20.2 keda/templates/manager/servicemonitor.yaml',
    ),
  },
  {
    chart: 'kube-prometheus-stack',
    version: '88.2.0',
    crds: {
      // The crds subchart (condition crds.enabled, default true) ships them in its crds/
      // folder, which Argo CD renders with the rest (Chart.yaml dependencies).
      source:
        'prometheus-community/helm-charts kube-prometheus-stack-88.2.0 charts/kube-prometheus-stack/charts/crds/crds/',
      kinds: kinds(
        'monitoring.coreos.com',
        'Alertmanager',
        'AlertmanagerConfig',
        'PodMonitor',
        'Probe',
        'Prometheus',
        'PrometheusAgent',
        'PrometheusRule',
        'ScrapeConfig',
        'ServiceMonitor',
        'ThanosRuler',
      ),
    },
    services: () => [
      {
        name: 'prometheus-operated',
        ports: [9090],
        // The chart's Prometheus (templates/prometheus/prometheus.yaml) makes the operator
        // (appVersion v0.93.0) create its governing Service.
        source: 'prometheus-operator v0.93.0 pkg/prometheus/server/operator.go governingServiceName',
      },
      {
        name: 'kube-prometheus-stack-prometheus',
        ports: [9090],
        source:
          'prometheus-community/helm-charts kube-prometheus-stack-88.2.0 charts/kube-prometheus-stack/templates/prometheus/service.yaml',
      },
      {
        name: 'kube-prometheus-stack-alertmanager',
        ports: [9093],
        source:
          'prometheus-community/helm-charts kube-prometheus-stack-88.2.0 charts/kube-prometheus-stack/templates/alertmanager/service.yaml',
      },
    ],
    secrets: none,
    requires: none,
  },
  {
    chart: 'kyverno',
    version: '3.9.0',
    crds: {
      source: 'kyverno v1.19.0 (chart 3.9.0) charts/kyverno/charts/crds/templates/policies.kyverno.io/',
      kinds: kinds(
        'policies.kyverno.io',
        'ValidatingPolicy',
        'NamespacedValidatingPolicy',
        'MutatingPolicy',
        'GeneratingPolicy',
        'DeletingPolicy',
        'ImageValidatingPolicy',
        'PolicyException',
      ).concat(kinds('kyverno.io', 'ClusterPolicy', 'Policy')),
    },
    services: none,
    secrets: none,
    requires: none,
  },
  {
    chart: 'loki',
    version: '6.55.0',
    crds: { source: 'grafana/loki helm-loki-6.55.0 production/helm/loki (no CRDs)', kinds: [] },
    services: () => [
      {
        name: 'loki-gateway',
        ports: [80],
        source: 'grafana/loki helm-loki-6.55.0 production/helm/loki/templates/gateway/service-gateway.yaml',
      },
    ],
    secrets: none,
    requires: none,
  },
  {
    chart: 'tempo',
    version: '1.24.1',
    crds: { source: 'grafana/helm-charts tempo-1.24.1 charts/tempo (no CRDs)', kinds: [] },
    services: () => [
      {
        // fullname = release name when it contains the chart name (templates/_helpers.tpl);
        // the otlp receivers in values.yaml add 4317 and 4318 (templates/_ports.tpl).
        name: 'tempo',
        ports: [3200, 4317, 4318],
        source: 'grafana/helm-charts tempo-1.24.1 charts/tempo/templates/service.yaml, _ports.tpl',
      },
    ],
    secrets: none,
    requires: none,
  },
  {
    chart: 'opentelemetry-collector',
    version: '0.172.0',
    crds: {
      source: 'opentelemetry-helm-charts opentelemetry-collector-0.170.0 (nearest readable tag): no CRDs',
      kinds: [],
    },
    // In daemonset mode the Service exists only with service.enabled: true
    // (templates/_helpers.tpl "opentelemetry-collector.serviceEnabled", templates/service.yaml).
    services: (values) => {
      const enabled = valueAt(values, 'service.enabled');
      const daemonset = valueAt(values, 'mode') === 'daemonset';
      if (enabled === false || (daemonset && enabled !== true)) return [];
      const name = valueAt(values, 'fullnameOverride');
      return [
        {
          name: typeof name === 'string' ? name : 'opentelemetry-collector',
          ports: [4317, 4318],
          source:
            'opentelemetry-helm-charts opentelemetry-collector-0.170.0 (nearest readable tag) charts/opentelemetry-collector/templates/service.yaml, values.yaml ports.otlp*',
        },
      ];
    },
    secrets: none,
    requires: none,
  },
];

/**
 * What exists before the root Application syncs: Argo CD itself (installed from its release
 * manifests, scripts/cluster/cluster.sh) and the ClusterSecretStore the cluster administrator
 * creates with the secret manager's credentials (docs/design/argo.md, "Secrets").
 */
export const PREREQUISITES = {
  crds: {
    source: 'argo-cd v3.5.1 manifests/install.yaml (manifests/crds/)',
    kinds: kinds('argoproj.io', 'Application', 'AppProject', 'ApplicationSet'),
  },
  /** `Kind/namespace/name` of objects that exist before the root Application. */
  objects: [
    {
      ref: 'Secret/argocd/argocd-notifications-secret',
      source: 'argo-cd v3.5.1 manifests/base/notification/argocd-notifications-secret.yaml',
    },
    {
      ref: 'ConfigMap/argocd/argocd-cm',
      source: 'argo-cd v3.5.1 manifests/base/config/argocd-cm.yaml',
    },
    {
      ref: 'Namespace/argocd',
      source: 'scripts/cluster/cluster.sh (kubectl create namespace argocd)',
    },
    {
      ref: 'ClusterSecretStore/payday-secrets',
      source: 'created by the cluster administrator (docs/design/argo.md, "Secrets")',
    },
  ],
} as const;
