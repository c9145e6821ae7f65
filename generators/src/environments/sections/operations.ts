import { z } from 'zod';
import { controllerDuration as duration } from '../fields.js';

/**
 * Per-environment operations settings (docs/design/argo.md §Operations objects). Every field has a
 * typed default here, so an environment file only holds what differs
 * (docs/design/environments.md §One file per environment). None of these are promoted: they are
 * pinned to the environment. environments/README.md documents each field in the same words.
 */

const quantity = z.string().regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|m|k|M|G)?$/, 'must be a Kubernetes quantity');
const labelMap = z.record(z.string(), z.string());
const ratio = z.number().gt(0).lt(1);

/** Canary/blue-green analysis (docs/design/argo.md §Analysis). */
export const analysisSettings = z
  .strictObject({
    /** Render AnalysisTemplates and gate rollouts on them. Dev may switch this off; prod may not (checked below). */
    enabled: z.boolean().default(true),
    /** Prometheus the Argo Rollouts controller queries (prometheus-operator's headless service). */
    prometheusAddress: z.string().url().default('http://prometheus-operated.monitoring.svc:9090'),
    /** Seconds between two measurements of one metric. */
    interval: duration.default('1m'),
    /** Measurements per inline step / pre-promotion run: 5 × 1m = five minutes of evidence per step. */
    count: z.number().int().min(1).default(5),
    /** Failed measurements tolerated before the run fails: 1 absorbs a single cold-start blip, 2 aborts. */
    failureLimit: z.number().int().min(0).default(1),
    /**
     * What a measurement with no data (no traffic, empty vector, NaN) means: `inconclusive` pauses the
     * rollout for a human (safe default: silence never promotes), `pass` lets quiet environments proceed.
     */
    noData: z.enum(['inconclusive', 'pass']).default('inconclusive'),
    /** Minimum canary requests in the window before a ratio is judged (fewer counts as no data). */
    minRequests: z.number().int().min(0).default(20),
    /** API: minimum share of non-5xx responses on the canary. */
    apiSuccessRate: ratio.default(0.99),
    /** API: maximum p95 latency of the canary, in seconds. */
    apiP95Seconds: z.number().positive().default(0.5),
    /** Frontend: minimum share of non-5xx responses on the preview (new) ReplicaSet. */
    frontendSuccessRate: ratio.default(0.99),
    /** Worker: maximum share of jobs retried or dead-lettered on the canary ReplicaSet. */
    workerMaxFailureRate: ratio.default(0.05),
    /** Frontend: also run `postPromotionAnalysis` after the switch (aborts and switches back on failure). */
    postPromotion: z.boolean().default(false),
  })
  .prefault({});

/** Autoscaling knobs beyond the replica bounds (those are `apps.<app>.autoscaling`). */
export const autoscalingSettings = z
  .strictObject({
    /** API HPA: target average CPU utilisation of requests, percent. */
    apiCpuUtilization: z.number().int().min(10).max(100).default(70),
    /** Worker ScaledObject: queued jobs one worker replica is expected to handle (HPA target). */
    workerJobsPerReplica: z.number().int().min(1).default(50),
    /** Worker: queue depth above which KEDA activates from 0 to 1 replica (only matters with min 0). */
    workerActivationJobs: z.number().int().min(0).default(0),
    /** KEDA polling interval, seconds. */
    pollingIntervalSeconds: z.number().int().min(5).default(15),
    /** Replicas KEDA holds when the trigger fails `failureThreshold` times in a row. */
    fallbackReplicas: z.number().int().min(1).default(2),
    fallbackFailureThreshold: z.number().int().min(1).default(3),
  })
  .prefault({});

export const backupSettings = z
  .strictObject({
    /** WAL archiving + base backups through the Barman Cloud plugin. Required in prod. */
    enabled: z.boolean().default(false),
    /** Object-store prefix; the ObjectStore writes `<destinationPath>/<cluster>/…`. */
    destinationPath: z.string().default('s3://payday-backups'),
    /** S3-compatible endpoint; omit for AWS S3. */
    endpointURL: z.string().url().optional(),
    /** Recovery-window retention (barman `RECOVERY WINDOW OF …`). */
    retention: z
      .string()
      .regex(/^\d+[dwm]$/, 'must be like 30d, 4w or 3m')
      .default('30d'),
    /** Six-field cron WITH seconds (CloudNativePG ScheduledBackup): daily at 02:00:00 UTC. */
    schedule: z
      .string()
      .refine(
        (s) => s.trim().split(/\s+/).length === 6,
        'must be a six-field cron (seconds first), e.g. "0 0 2 * * *"',
      )
      .default('0 0 2 * * *'),
  })
  .prefault({});

/** CloudNativePG database (docs/design/argo.md §Database). */
export const databaseSettings = z
  .strictObject({
    /** PostgreSQL instances: 1 in dev, 3 in prod (one primary, two streaming replicas). */
    instances: z.number().int().min(1).max(9).default(1),
    /** Pinned operand image (major.minor, never `latest`). */
    imageName: z.string().default('ghcr.io/cloudnative-pg/postgresql:17.6'),
    storageSize: quantity.default('5Gi'),
    /** WAL on its own volume, so a full data disk cannot stop WAL (and archiving). */
    walStorageSize: quantity.default('2Gi'),
    storageClass: z.string().optional(),
    cpu: quantity.default('250m'),
    memory: quantity.default('512Mi'),
    backups: backupSettings,
    /**
     * Command the PreSync migration Job runs in the API image (expand/contract,
     * docs/design/apps.md §Database and migrations).
     */
    migrationCommand: z
      .array(z.string())
      .min(1)
      .default(['node', '--enable-source-maps', 'apps/db/dist/migrate.mjs']),
  })
  .prefault({});

export const secretsSettings = z
  .strictObject({
    /** ClusterSecretStore every ExternalSecret reads from (a central secret manager). */
    store: z.string().default('payday-secrets'),
    /**
     * Remote key prefix; keys are `<prefix>/<component>`. Default `payday/<env>` (`payday/preview`
     * for previews, so a pull request never reads an environment's secrets).
     */
    remotePrefix: z.string().min(1).optional(),
    /** How often ESO re-reads the store (rotation lands within this time). */
    refreshInterval: duration.default('1h'),
  })
  .prefault({});

export const networkSettings = z
  .strictObject({
    ingressControllerNamespace: z.string().default('ingress'),
    prometheusNamespace: z.string().default('monitoring'),
    kedaNamespace: z.string().default('keda'),
    cnpgNamespace: z.string().default('cnpg-system'),
    otelCollectorNamespace: z.string().default('observability'),
    /** Ranges the worker may never call (webhook SSRF guard, enforced by the CNI as well as the app). */
    privateRanges: z
      .array(z.string())
      .default(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16']),
    /** Where the database pods reach the Kubernetes API and object storage (TLS ports only). */
    databaseEgressCidr: z.string().default('0.0.0.0/0'),
  })
  .prefault({});

export const exposureSettings = z
  .strictObject({
    /**
     * `ingress` (networking.k8s.io/v1, pinned schema) or `gateway` (Gateway API HTTPRoute: no schema in
     * generators/schemas/, so the validator refuses it until the Gateway API CRDs are added; see README).
     */
    mode: z.enum(['ingress', 'gateway']).default('ingress'),
    ingressClassName: z.string().default('traefik'),
    /** cert-manager ClusterIssuer for the TLS certificates. */
    clusterIssuer: z.string().default('letsencrypt'),
    gatewayName: z.string().default('payday'),
    gatewayNamespace: z.string().default('gateway'),
    /** Argo Rollouts traffic routing for the API canary: `replicas` (default) or the alpha Gateway API plugin. */
    apiTrafficRouting: z.enum(['replicas', 'gateway-api']).default('replicas'),
  })
  .prefault({});

export const availabilitySettings = z
  .strictObject({
    /** Spread pods over zones and nodes (prod). */
    topologySpread: z.boolean().default(false),
    /** PodDisruptionBudget `maxUnavailable` for multi-replica workloads (never 0: that blocks drains). */
    pdbMaxUnavailable: z.number().int().min(1).default(1),
  })
  .prefault({});

export const monitoringSettings = z
  .strictObject({
    /** Labels the cluster's Prometheus selects monitors and rules by (kube-prometheus-stack: `release`). */
    selectorLabels: labelMap.default({ release: 'kube-prometheus-stack' }),
    /** Label the Grafana dashboard sidecar watches. */
    dashboardLabel: labelMap.default({ grafana_dashboard: '1' }),
    /** Availability SLO of the payments API (burn-rate alerts derive from it). */
    availabilitySlo: z.number().gt(0.9).lt(1).default(0.999),
    /** Share of API requests that must finish under `latencyThresholdSeconds`. */
    latencySlo: z.number().gt(0.9).lt(1).default(0.99),
    latencyThresholdSeconds: z.enum(['0.1', '0.25', '0.5', '1', '2.5']).default('0.5'),
    /** Oldest queued job age that pages, seconds. */
    queueAgeSeconds: z.number().int().min(30).default(300),
    /** Webhook deliveries that must succeed (first attempt or retry) over 30 minutes. */
    webhookSuccessRate: ratio.default(0.95),
    /** Where apps send OTLP traces (the OpenTelemetry collector); `null` switches tracing off. */
    otlpEndpoint: z.string().url().nullable().default('http://otel-collector.observability.svc:4318'),
    /** Log shipping: the Loki push URL the collector forwards pod logs to. */
    lokiUrl: z.string().url().default('http://loki-gateway.observability.svc/loki/api/v1/push'),
    /** Base URL runbook links point at (alerts and notifications). */
    runbookBaseUrl: z.string().url().default('https://github.com/payday/payday/blob/main/runbooks'),
  })
  .prefault({});

export const notificationSettings = z
  .strictObject({
    /** Argo CD / Argo Rollouts notification service and its recipient (channel, webhook name, repo). */
    service: z.enum(['slack', 'webhook', 'github']).default('slack'),
    recipient: z.string().default('payday-deploys'),
  })
  .prefault({});

/**
 * The operations section of an environment file: one top-level key per concern. Spread into the
 * environment schema (generators/src/environments/base-schema.ts) like the other sections.
 */
export const opsSection = {
  analysis: analysisSettings,
  scaling: autoscalingSettings,
  database: databaseSettings,
  secrets: secretsSettings,
  network: networkSettings,
  exposure: exposureSettings,
  availability: availabilitySettings,
  monitoring: monitoringSettings,
  notifications: notificationSettings,
};

export const opsSettingsSchema = z.strictObject(opsSection).prefault({});

export type OpsSettings = z.output<typeof opsSettingsSchema>;
export type AnalysisSettings = z.output<typeof analysisSettings>;
export type DatabaseSettings = z.output<typeof databaseSettings>;
export type MonitoringSettings = z.output<typeof monitoringSettings>;
export type NetworkSettings = z.output<typeof networkSettings>;
export type ExposureSettings = z.output<typeof exposureSettings>;

/** Settings with every default applied (what an environment file that says nothing gets). */
export function defaultOpsSettings(): OpsSettings {
  return opsSettingsSchema.parse(undefined);
}
