import type { OpsSettings } from '../environments/sections/operations.js';
import type { K8sObject } from '../render/types.js';
import { FRONTEND_SMOKE_LABELS } from './app/analysis.js';
import { exportsTelemetry } from './app/app-env.js';
import { MIGRATION_LABELS, migrationAllowancePlacement } from './app/migration-job.js';
import type { BuilderContext, FolderName } from './context.js';
import { DB_SELECTOR } from './database/database.js';
import { moduleSource } from './factory.js';
import { meta, syncWave } from './labels.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

/**
 * NetworkPolicies (networking.k8s.io/v1): a default deny for the whole namespace, then one
 * allow-list per workload (docs/design/argo.md §Availability and isolation, Kubernetes "Network
 * Policies"). Policies are additive, so each allow names exactly the peer and port that needs it;
 * anything not listed is dropped by the CNI.
 *
 *   ingress controller (or gateway) → frontend, api        Prometheus → every metrics port
 *   frontend → api                                          api, worker, migration → database 5432
 *   KEDA → database 5432                                    cnpg operator → database 8000/5432
 *   database ↔ database (replication)                       database → API server + object store (TLS)
 *   worker → the internet (webhooks), never private ranges  every pod → cluster DNS, OTLP collector
 *
 * A preview stays inside its namespace except for DNS (docs/rehearsal.md §Network reachability):
 * no collector (its apps export no traces) and no internet for the worker. The rehearsal's flow
 * matrix (generators/src/catalogue/flows.ts) checks all of this against the rendered policies.
 */

type Peer = Record<string, unknown>;
type Port = { protocol: 'TCP' | 'UDP'; port: number };

const nsPeer = (name: string): Peer => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
});
const podPeer = (labels: Record<string, string>): Peer => ({ podSelector: { matchLabels: { ...labels } } });
const tcp = (...ports: number[]): Port[] => ports.map((port) => ({ protocol: 'TCP' as const, port }));

function policy(
  ctx: BuilderContext,
  name: string,
  podSelector: Record<string, string>,
  ingress: Array<{ from: Peer[]; ports: Port[] }> | undefined,
  egress: Array<{ to: Peer[]; ports?: Port[] }> | undefined,
): K8sObject {
  const policyTypes = [...(ingress ? ['Ingress'] : []), ...(egress ? ['Egress'] : [])];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(name, ctx.namespace, ctx.labels, syncWave(-2)),
    spec: {
      podSelector: Object.keys(podSelector).length === 0 ? {} : { matchLabels: { ...podSelector } },
      policyTypes,
      // An empty rule list is written as no list at all: both mean "deny all" for that direction.
      ...(ingress && ingress.length > 0 ? { ingress } : {}),
      ...(egress && egress.length > 0 ? { egress } : {}),
    },
  };
}

/** The policy with its Argo CD placement annotations replaced (hook, wave), when given. */
const placed = (o: K8sObject, annotations: Record<string, string> | undefined): K8sObject =>
  annotations ? { ...o, metadata: { ...o.metadata, annotations } } : o;

export function networkPolicies(
  ctx: BuilderContext,
  s: OpsSettings,
): Array<{ group: FolderName; object: K8sObject }> {
  const n = s.network;
  const { api, frontend, worker } = ctx.apps;
  const edge = nsPeer(
    s.exposure.mode === 'gateway' ? s.exposure.gatewayNamespace : n.ingressControllerNamespace,
  );
  const prometheus = nsPeer(n.prometheusNamespace);
  const db = podPeer(DB_SELECTOR);
  // Only where the apps export telemetry (app-env.ts): never from a preview.
  const otel = exportsTelemetry(ctx, s)
    ? [{ to: [nsPeer(n.otelCollectorNamespace)], ports: tcp(4317, 4318) }]
    : [];
  const toDb = { to: [db], ports: tcp(5432) };

  const out: Array<{ group: FolderName; object: K8sObject }> = [
    // Selects every pod and allows nothing: the baseline the allows below open up.
    { group: 'namespace', object: policy(ctx, 'default-deny', {}, [], []) },
    {
      group: 'namespace',
      object: policy(ctx, 'allow-dns', {}, undefined, [
        {
          to: [{ ...nsPeer('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ]),
    },
    {
      group: 'api',
      object: policy(
        ctx,
        api.name,
        api.selectorLabels,
        [
          { from: [edge, podPeer(frontend.selectorLabels)], ports: tcp(api.port) },
          { from: [prometheus], ports: tcp(api.port) },
        ],
        [toDb, ...otel],
      ),
    },
    {
      group: 'frontend',
      object: policy(
        ctx,
        frontend.name,
        frontend.selectorLabels,
        [
          { from: [edge], ports: tcp(frontend.port) },
          { from: [prometheus], ports: tcp(frontend.port) },
          // The pre-promotion smoke test requests pages through the preview Service.
          ...(ctx.preview ? [] : [{ from: [podPeer(FRONTEND_SMOKE_LABELS)], ports: tcp(frontend.port) }]),
        ],
        [{ to: [podPeer(api.selectorLabels)], ports: tcp(api.port) }, ...otel],
      ),
    },
    ...(ctx.preview
      ? []
      : [
          {
            group: 'frontend' as const,
            object: policy(
              ctx,
              'frontend-smoke',
              FRONTEND_SMOKE_LABELS,
              [],
              [{ to: [podPeer(frontend.selectorLabels)], ports: tcp(frontend.port) }],
            ),
          },
        ]),
    {
      group: 'worker',
      object: policy(
        ctx,
        worker.name,
        worker.selectorLabels,
        [{ from: [prometheus], ports: tcp(worker.port) }],
        [
          toDb,
          ...otel,
          // Webhooks go to merchants on the public internet, any port; private and link-local
          // ranges are excluded so a hostile URL cannot reach cluster services (SSRF). A preview
          // delivers none: its deliveries fail and retry inside the namespace.
          ...(ctx.preview
            ? []
            : [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [...n.privateRanges] } }] }]),
        ],
      ),
    },
    {
      group: 'api',
      object: placed(
        policy(ctx, 'db-migrate', MIGRATION_LABELS, [], [toDb]),
        migrationAllowancePlacement(ctx.preview),
      ),
    },
    {
      group: 'database',
      object: policy(
        ctx,
        'payday-db',
        DB_SELECTOR,
        [
          {
            from: [
              podPeer(api.selectorLabels),
              podPeer(worker.selectorLabels),
              podPeer(MIGRATION_LABELS),
              ...(ctx.preview ? [] : [nsPeer(n.kedaNamespace)]),
            ],
            ports: tcp(5432),
          },
          // The operator checks and drives every instance (status on 8000); instances replicate.
          { from: [nsPeer(n.cnpgNamespace), db], ports: tcp(8000, 5432) },
          { from: [prometheus], ports: tcp(9187) },
        ],
        [
          { to: [db], ports: tcp(5432, 8000) },
          // The instance manager talks to the Kubernetes API; the Barman plugin to object storage.
          { to: [{ ipBlock: { cidr: n.databaseEgressCidr } }], ports: tcp(443, 6443) },
        ],
      ),
    },
  ];
  return out;
}
