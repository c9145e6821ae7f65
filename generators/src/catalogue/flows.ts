/**
 * The flow matrix: who must reach whom, on which port, and who must not. The rehearsal plays it
 * through the rendered NetworkPolicies of every environment and of the preview
 * (docs/rehearsal.md §Network reachability); the renderer passes it as the network check's
 * `flows` option. Pods are named by labels, not by the generators' own constants, so that a
 * renamed label shows up as a flow that no longer finds its pods.
 *
 * Platform pods are not in the rendered tree: their labels and ports are stated here, each citing
 * the chart at the version pinned in gitops/argocd/platform/.
 */
import type { ContainerPort, Flow, FlowEndpoint, FlowMatrix } from '@payday/rehearsal';
import { APP_NAMES, type AppName } from './apps.js';

const app = (name: AppName): FlowEndpoint => ({ pods: { name, labels: { 'app.kubernetes.io/name': name } } });

/** The PreSync migration Job's pods (docs/design/argo.md: the migration is a PreSync hook). */
const migration: FlowEndpoint = {
  pods: {
    name: 'migration',
    labels: { 'app.kubernetes.io/name': 'db-migrate', 'app.kubernetes.io/component': 'migration' },
  },
};

/**
 * Every PostgreSQL instance of the environment's Cluster `payday-db`: CloudNativePG v1.30.0 labels
 * instance pods `cnpg.io/podRole: instance` (pkg/specs/pods.go), which its Jobs' pods do not carry.
 */
const database: FlowEndpoint = {
  pods: { name: 'database', labels: { 'cnpg.io/cluster': 'payday-db', 'cnpg.io/podRole': 'instance' } },
};

const everyPod: FlowEndpoint = { pods: { name: 'every pod', labels: {} } };

const external = (
  name: string,
  namespace: string,
  labels: Record<string, string>,
  source: string,
  ports: ContainerPort[] = [],
): FlowEndpoint => ({ pods: { name, namespace, labels, external: { source, ports } } });

/** kube-prometheus-stack 88.2.0, release kube-prometheus-stack in `monitoring`. */
const prometheus = external(
  'Prometheus',
  'monitoring',
  {
    'app.kubernetes.io/name': 'prometheus',
    'app.kubernetes.io/instance': 'kube-prometheus-stack-prometheus',
  },
  'kube-prometheus-stack 88.2.0 templates/_helpers.tpl: Prometheus pods carry app.kubernetes.io/name=prometheus and ' +
    'app.kubernetes.io/instance=<Prometheus name>, kube-prometheus-stack.prometheus.crname = <release>-prometheus',
  [{ name: 'http-web', containerPort: 9090 }],
);

/** KEDA 2.20.2 in `keda`: the operator runs the scalers, so it opens the trigger's connection. */
const kedaOperator = external(
  'KEDA operator',
  'keda',
  { app: 'keda-operator', 'app.kubernetes.io/name': 'keda-operator' },
  'keda chart v2.20.2 keda/templates/manager/deployment.yaml (pod labels app and app.kubernetes.io/name = operator.name, keda-operator in keda/values.yaml)',
);

/** CloudNativePG chart 0.29.0, release cloudnative-pg in `cnpg-system`. */
const cnpgOperator = external(
  'CloudNativePG operator',
  'cnpg-system',
  { 'app.kubernetes.io/name': 'cloudnative-pg', 'app.kubernetes.io/instance': 'cloudnative-pg' },
  'cloudnative-pg chart 0.29.0 charts/cloudnative-pg/templates/_helpers.tpl (cloudnative-pg.selectorLabels: chart name, release name)',
);

/** The cluster DNS: CoreDNS behind the kube-dns Service in kube-system. */
const kubeDns = external(
  'kube-dns',
  'kube-system',
  { 'k8s-app': 'kube-dns' },
  'kubernetes v1.34.0 cluster/addons/dns/coredns/coredns.yaml.base (pod label k8s-app: kube-dns; ports dns 53/UDP, dns-tcp 53/TCP, metrics 9153)',
  [
    { name: 'dns', containerPort: 53, protocol: 'UDP' },
    { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
    { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
  ],
);

/** opentelemetry-collector 0.172.0, release opentelemetry-collector in `observability`. */
const otelCollector = external(
  'OpenTelemetry collector',
  'observability',
  {
    'app.kubernetes.io/name': 'opentelemetry-collector',
    'app.kubernetes.io/instance': 'opentelemetry-collector',
  },
  'opentelemetry-collector chart templates/_helpers.tpl (selectorLabels: chart name, release name) and values.yaml (otlp-http 4318)',
  [{ name: 'otlp-http', containerPort: 4318 }],
);

/** Another environment's database, as a preview must never reach it. */
const devDatabase = external(
  'payday-dev database',
  'payday-dev',
  { 'cnpg.io/cluster': 'payday-db' },
  'the dev environment’s CloudNativePG Cluster (gitops/dev/database/cluster-payday-db.yaml)',
  [{ name: 'postgresql', containerPort: 5432 }],
);

/** A webhook receiver on the internet (RFC 5737 TEST-NET-3: stands for any public address). */
const internet: FlowEndpoint = { address: { name: 'internet', address: '203.0.113.10' } };

/** The link-local cloud metadata endpoint: what a hostile webhook URL would aim at (SSRF). */
const cloudMetadata: FlowEndpoint = { address: { name: 'cloud metadata', address: '169.254.169.254' } };

const flow = (
  from: FlowEndpoint,
  to: FlowEndpoint,
  port: number | string,
  why: string,
  rest: Partial<Pick<Flow, 'expect' | 'in' | 'protocol' | 'when'>> = {},
): Flow => ({ from, to, port, why, expect: 'allowed', in: 'all', ...rest });

export const FLOWS: FlowMatrix = [
  // The database and its users.
  flow(app('api'), database, 5432, 'the API reads and writes payments'),
  flow(app('worker'), database, 5432, 'the worker claims jobs from the queue'),
  flow(migration, database, 5432, 'the PreSync hook migrates the schema'),
  flow(kedaOperator, database, 5432, 'KEDA’s postgresql trigger reads the queue depth', {
    in: 'environments',
    when: { kind: 'ScaledObject', triggerType: 'postgresql' },
  }),
  flow(cnpgOperator, database, 'status', 'the operator polls each instance manager’s status endpoint'),
  flow(
    cnpgOperator,
    database,
    'postgresql',
    'the operator connects to PostgreSQL for managed roles and checks',
  ),
  flow(database, database, 'postgresql', 'replicas stream WAL from the primary'),
  // The apps.
  flow(app('frontend'), app('api'), 'http', 'the dashboard renders from the API'),
  ...APP_NAMES.map((name) =>
    flow(app(name), otelCollector, 4318, 'traces and logs go to the collector (OTLP/HTTP)', {
      in: 'environments',
    }),
  ),
  flow(app('worker'), internet, 443, 'the worker delivers webhooks to merchants', { in: 'environments' }),
  flow(database, internet, 443, 'the Barman Cloud plugin archives WAL and backups to object storage', {
    in: 'environments',
    when: { kind: 'ObjectStore' },
  }),
  // Metrics: every port a PodMonitor scrapes.
  ...APP_NAMES.map((name) => flow(prometheus, app(name), 'http', `Prometheus scrapes ${name} /metrics`)),
  flow(prometheus, database, 'metrics', 'Prometheus scrapes the PostgreSQL exporter'),
  // DNS, for every pod.
  flow(everyPod, kubeDns, 53, 'name resolution', { protocol: 'UDP' }),
  flow(everyPod, kubeDns, 53, 'name resolution (truncated answers retry over TCP)'),
  // Must not.
  flow(app('frontend'), database, 5432, 'the dashboard goes through the API, never to the database', {
    expect: 'blocked',
  }),
  flow(
    app('worker'),
    cloudMetadata,
    80,
    'a webhook URL must not reach link-local or private addresses (SSRF)',
    {
      expect: 'blocked',
    },
  ),
  flow(app('worker'), app('api'), 'http', 'the worker has no business with the API', { expect: 'blocked' }),
  ...(
    [
      [devDatabase, 5432],
      [prometheus, 9090],
      [otelCollector, 4318],
    ] as const
  ).map(([to, port]) =>
    flow(everyPod, to, port, 'a preview stays inside its namespace', { expect: 'blocked', in: 'preview' }),
  ),
  flow(everyPod, kubeDns, 9153, 'a preview reaches kube-system for DNS only', {
    expect: 'blocked',
    in: 'preview',
  }),
  ...[app('api'), app('frontend'), app('worker'), migration].map((from) =>
    flow(from, internet, 443, 'a preview’s code does not talk to the internet', {
      expect: 'blocked',
      in: 'preview',
    }),
  ),
];
