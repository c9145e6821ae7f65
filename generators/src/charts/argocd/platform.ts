import type { OpsSettings } from '../../environments/sections/operations.js';
import { PLATFORM } from '../../platform.js';
import type { K8sObject } from '../../render/types.js';
import { moduleSource } from '../factory.js';
import { meta } from '../labels.js';
import { POLICIES_FOLDER } from '../policies/index.js';
import { rolloutNotificationValues } from './notifications.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

/**
 * Platform components as Argo CD Applications (docs/design/argo.md §Platform components), rendered
 * into gitops/argocd/platform/ and owned by the `platform` AppProject. Each is pinned to an exact
 * chart version whose appVersion is the release the CRD schemas in generators/schemas/ were taken
 * from (index.json origins; platform.test.ts checks the tags match), so the schemas we validate
 * against are the schemas the cluster serves.
 *
 * Every chart that ships CRDs syncs with `ServerSideApply=true`: eight of those CRDs exceed the
 * 262,144-byte last-applied annotation of client-side apply (generators/README.md, "Schemas"). Platform Applications
 * self-heal but do not auto-prune: removing a CRD-bearing chart deletes every custom resource of
 * its kinds, which must be a deliberate, manual sync.
 */
export interface PlatformComponent {
  name: string;
  namespace: string;
  repoURL: string;
  chart: string;
  /** Exact chart version (never a range). */
  version: string;
  /** The application version the chart installs (where we rely on it: CRDs, image tags). */
  appVersion?: string;
  /** CRD folder (`crds/<folder>/` in generators/schemas/index.json) whose recorded tag must equal `appVersion`, when the chart ships CRDs we validate against. */
  crds?: string;
  /**
   * Sync wave in the root Application: the Prometheus CRDs first, then cert-manager, then
   * operators, then what uses them. The root waits for each wave's Applications to be healthy
   * only because argocd-cm restores the Application health check (root-application.ts).
   */
  wave: number;
  values: Record<string, unknown>;
}

export function platformComponents(s: OpsSettings): PlatformComponent[] {
  const monitorLabels = s.monitoring.selectorLabels;
  return [
    {
      name: 'cert-manager',
      namespace: 'cert-manager',
      repoURL: 'https://charts.jetstack.io',
      chart: 'cert-manager',
      version: 'v1.19.1',
      appVersion: 'v1.19.1',
      // Renders a ServiceMonitor: after kube-prometheus-stack, whose CRDs it needs.
      wave: -2,
      values: {
        crds: { enabled: true, keep: true },
        prometheus: { servicemonitor: { enabled: true, labels: monitorLabels } },
      },
    },
    {
      name: 'kube-prometheus-stack',
      namespace: 'monitoring',
      repoURL: 'https://prometheus-community.github.io/helm-charts',
      chart: 'kube-prometheus-stack',
      version: '88.2.0',
      appVersion: 'v0.93.0',
      crds: 'prometheus-operator',
      // First: every other chart here renders a ServiceMonitor (its CRD comes from this one).
      wave: -3,
      values: {
        grafana: {
          sidecar: {
            dashboards: {
              enabled: true,
              label: Object.keys(s.monitoring.dashboardLabel)[0],
              labelValue: Object.values(s.monitoring.dashboardLabel)[0],
              // Dashboards live next to the environment they describe (payday-<env> namespaces).
              searchNamespace: 'ALL',
              folderAnnotation: 'grafana_folder',
              provider: { foldersFromFilesStructure: true },
            },
          },
        },
      },
    },
    {
      name: 'cloudnative-pg',
      namespace: 'cnpg-system',
      repoURL: 'https://cloudnative-pg.github.io/charts',
      chart: 'cloudnative-pg',
      version: '0.29.0',
      appVersion: 'v1.30.0',
      crds: 'cloudnative-pg',
      wave: -1,
      values: { crds: { create: true } },
    },
    {
      name: 'plugin-barman-cloud',
      namespace: 'cnpg-system',
      repoURL: 'https://cloudnative-pg.github.io/charts',
      chart: 'plugin-barman-cloud',
      version: '0.7.0',
      appVersion: 'v0.14.0',
      // After cert-manager (wave -2): the chart renders an Issuer and Certificates for its TLS
      // (plugin-barman-cloud-v0.7.0 templates/certificate-issuer.yaml, server-certificate.yaml).
      wave: 0,
      values: {},
    },
    {
      name: 'argo-rollouts',
      namespace: 'argo-rollouts',
      repoURL: 'https://argoproj.github.io/argo-helm',
      chart: 'argo-rollouts',
      version: '2.41.1',
      appVersion: 'v1.9.1',
      crds: 'argo-rollouts',
      wave: 0,
      values: {
        installCRDs: true,
        keepCRDs: true,
        controller: {
          metrics: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: monitorLabels } },
        },
        notifications: {
          ...rolloutNotificationValues(s),
          // The chart creates argo-rollouts-notification-secret only when asked (values.yaml
          // notifications.secret.create, default false); External Secrets merges the keys in.
          secret: { create: true },
        },
      },
    },
    {
      name: 'keda',
      namespace: 'keda',
      repoURL: 'https://kedacore.github.io/charts',
      chart: 'keda',
      version: '2.20.2',
      appVersion: 'v2.20.2',
      crds: 'keda',
      wave: 0,
      values: {
        prometheus: {
          operator: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: monitorLabels } },
        },
      },
    },
    {
      name: 'kyverno',
      namespace: 'kyverno',
      repoURL: 'https://kyverno.github.io/kyverno',
      chart: 'kyverno',
      version: '3.9.0',
      appVersion: 'v1.19.0',
      crds: 'kyverno',
      wave: 0,
      values: { admissionController: { replicas: 3 } },
    },
    {
      name: 'external-secrets',
      namespace: 'external-secrets',
      repoURL: 'https://charts.external-secrets.io',
      chart: 'external-secrets',
      version: '2.9.0',
      appVersion: 'v2.9.0',
      crds: 'external-secrets',
      wave: 0,
      values: { installCRDs: true, serviceMonitor: { enabled: true, additionalLabels: monitorLabels } },
    },
    {
      name: 'loki',
      namespace: 'observability',
      repoURL: 'https://grafana.github.io/helm-charts',
      chart: 'loki',
      version: '6.55.0',
      wave: 0,
      values: {
        deploymentMode: 'SingleBinary',
        loki: {
          auth_enabled: false,
          commonConfig: { replication_factor: 1 },
          storage: { type: 'filesystem' },
        },
        singleBinary: { replicas: 1 },
      },
    },
    {
      name: 'opentelemetry-collector',
      namespace: 'observability',
      repoURL: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
      chart: 'opentelemetry-collector',
      version: '0.172.0',
      appVersion: '0.159.0',
      wave: 1,
      values: {
        mode: 'daemonset',
        // In daemonset mode the chart creates no Service unless enabled (templates/_helpers.tpl
        // "opentelemetry-collector.serviceEnabled"); the apps send OTLP to otel-collector.observability.svc.
        service: { enabled: true },
        image: { repository: 'otel/opentelemetry-collector-k8s' },
        fullnameOverride: 'otel-collector',
        // Pod logs → Loki; OTLP traces from the apps → Tempo.
        presets: { logsCollection: { enabled: true }, kubernetesAttributes: { enabled: true } },
        config: {
          exporters: {
            'otlphttp/loki': { endpoint: s.monitoring.lokiUrl.replace(/\/loki\/api\/v1\/push$/, '/otlp') },
            'otlp/tempo': { endpoint: 'tempo.observability.svc:4317', tls: { insecure: true } },
          },
          service: {
            pipelines: {
              logs: { exporters: ['otlphttp/loki'] },
              traces: { exporters: ['otlp/tempo'] },
            },
          },
        },
      },
    },
    {
      name: 'tempo',
      namespace: 'observability',
      repoURL: 'https://grafana.github.io/helm-charts',
      chart: 'tempo',
      version: '1.24.1',
      wave: 0,
      values: {},
    },
  ];
}

/** The Argo CD Application that installs one component. */
export function platformApplication(c: PlatformComponent): K8sObject {
  const hasCrds = c.crds !== undefined || ['cert-manager', 'plugin-barman-cloud'].includes(c.name);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: meta(
      c.name,
      'argocd',
      { 'app.kubernetes.io/part-of': 'payday-platform' },
      { 'argocd.argoproj.io/sync-wave': String(c.wave) },
    ),
    spec: {
      project: 'platform',
      source: {
        repoURL: c.repoURL,
        chart: c.chart,
        targetRevision: c.version,
        helm: { releaseName: c.name, valuesObject: c.values },
      },
      destination: { server: PLATFORM.inCluster, namespace: c.namespace },
      syncPolicy: {
        automated: { prune: false, selfHeal: true },
        syncOptions: ['CreateNamespace=true', ...(hasCrds ? ['ServerSideApply=true'] : [])],
        retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
      },
    },
  };
}

export function platformApplications(s: OpsSettings): K8sObject[] {
  return platformComponents(s).map(platformApplication);
}

/**
 * An Application of the `platform` project that syncs one folder of this repository's rendered
 * tree (not a Helm chart): the policies and the platform ExternalSecrets.
 */
function repositoryFolderApplication(o: {
  name: string;
  wave: number;
  namespace: string;
  folder: string;
  syncPolicy: Record<string, unknown>;
}): K8sObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: meta(
      o.name,
      PLATFORM.argocdNamespace,
      { 'app.kubernetes.io/part-of': 'payday-platform' },
      { 'argocd.argoproj.io/sync-wave': String(o.wave) },
    ),
    spec: {
      project: 'platform',
      destination: { server: PLATFORM.inCluster, namespace: o.namespace },
      source: {
        repoURL: PLATFORM.repoURL,
        targetRevision: PLATFORM.targetRevision,
        path: `${PLATFORM.gitopsDir}/${o.folder}`,
      },
      syncPolicy: o.syncPolicy,
    },
  };
}

/**
 * The Application that syncs gitops/platform/policies/ (the admission ValidatingPolicies rendered
 * by charts/policies) into the cluster.
 */
export function policiesApplication(): K8sObject {
  return repositoryFolderApplication({
    name: 'payday-policies',
    // After the Kyverno Application (wave 0), whose CRDs these objects need.
    wave: 1,
    namespace: 'kyverno',
    folder: POLICIES_FOLDER,
    syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'] },
  });
}

/** gitops/platform/secrets/: the ExternalSecrets of the platform (Argo CD's and Rollouts' notification credentials, the previews' GitHub token). */
export const SECRETS_FOLDER = 'platform/secrets';

/**
 * The Application that syncs gitops/platform/secrets/. Not the root Application: Argo CD
 * dry-runs every object of a sync before applying any (gitops-engine sync_context.go), so an
 * ExternalSecret in the root's own sync fails while its CRD is still on its way with the
 * external-secrets Application. Here it syncs a wave after external-secrets and argo-rollouts
 * (whose namespace and notification Secret it writes into) are healthy.
 */
export function platformSecretsApplication(): K8sObject {
  return repositoryFolderApplication({
    name: 'platform-secrets',
    wave: 1,
    namespace: 'argocd',
    folder: SECRETS_FOLDER,
    syncPolicy: {
      automated: { prune: true, selfHeal: true },
      retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
    },
  });
}
