import { describe, expect, it } from 'vitest';
import { defaultOpsSettings, opsSettingsSchema } from '../environments/sections/operations.js';
import type { K8sObject } from '../render/types.js';
import { sampleContext } from '../testing/context.js';
import { networkPolicies } from './network-policies.js';

type Rule = { from?: Peer[]; to?: Peer[]; ports?: Array<{ protocol: string; port: number }> };
type Peer = {
  namespaceSelector?: { matchLabels: Record<string, string> };
  podSelector?: { matchLabels: Record<string, string> };
  ipBlock?: { cidr: string; except?: string[] };
};
type Spec = {
  podSelector: { matchLabels?: Record<string, string> };
  policyTypes: string[];
  ingress?: Rule[];
  egress?: Rule[];
};

/** Names a peer the way the allow-list table below does. */
function peerName(p: Peer): string {
  if (p.ipBlock)
    return `cidr:${p.ipBlock.cidr}${p.ipBlock.except ? ` except ${p.ipBlock.except.length}` : ''}`;
  if (p.namespaceSelector) return `ns:${p.namespaceSelector.matchLabels['kubernetes.io/metadata.name']}`;
  return `pod:${p.podSelector?.matchLabels['app.kubernetes.io/name'] ?? p.podSelector?.matchLabels['cnpg.io/cluster']}`;
}

/** Flattens every policy into "target <- peer :port" / "target -> peer :port" lines. */
function allowList(objs: K8sObject[]): string[] {
  const lines: string[] = [];
  for (const o of objs) {
    const spec = o.spec as Spec;
    const target = o.metadata.name;
    for (const [dir, rules] of [['<-', spec.ingress ?? []] as const, ['->', spec.egress ?? []] as const]) {
      for (const r of rules) {
        const ports =
          (r.ports ?? []).map((p) => `${p.protocol === 'UDP' ? 'udp/' : ''}${p.port}`).join(',') || 'any';
        for (const peer of (dir === '<-' ? r.from : r.to) ?? [])
          lines.push(`${target} ${dir} ${peerName(peer)} :${ports}`);
      }
    }
  }
  return lines;
}

describe('network policies', () => {
  const objs = networkPolicies(sampleContext(), defaultOpsSettings()).map((p) => p.object);

  it('starts from a default deny over every pod, both directions', () => {
    const deny = objs.find((o) => o.metadata.name === 'default-deny')!;
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it('allows exactly the documented flows and nothing else', () => {
    expect(allowList(objs)).toEqual([
      'allow-dns -> ns:kube-system :udp/53,53',
      'api <- ns:ingress :3000',
      'api <- pod:frontend :3000',
      'api <- ns:monitoring :3000',
      'api -> pod:payday-db :5432',
      'api -> ns:observability :4317,4318',
      'frontend <- ns:ingress :3001',
      'frontend <- ns:monitoring :3001',
      'frontend <- pod:frontend-smoke :3001',
      'frontend -> pod:api :3000',
      'frontend -> ns:observability :4317,4318',
      'frontend-smoke -> pod:frontend :3001',
      'worker <- ns:monitoring :3002',
      'worker -> pod:payday-db :5432',
      'worker -> ns:observability :4317,4318',
      'worker -> cidr:0.0.0.0/0 except 5 :any',
      'db-migrate -> pod:payday-db :5432',
      'payday-db <- pod:api :5432',
      'payday-db <- pod:worker :5432',
      'payday-db <- pod:db-migrate :5432',
      'payday-db <- ns:keda :5432',
      'payday-db <- ns:cnpg-system :8000,5432',
      'payday-db <- pod:payday-db :8000,5432',
      'payday-db <- ns:monitoring :9187',
      'payday-db -> pod:payday-db :5432,8000',
      'payday-db -> cidr:0.0.0.0/0 :443,6443',
    ]);
  });

  it('keeps webhook egress off private, carrier-grade NAT and link-local ranges (SSRF)', () => {
    const worker = objs.find((o) => o.metadata.name === 'worker')!.spec as Spec;
    const internet = worker.egress!.find((r) => r.to?.[0]?.ipBlock)!;
    expect(internet.to![0]!.ipBlock!.except).toEqual([
      '10.0.0.0/8',
      '172.16.0.0/12',
      '192.168.0.0/16',
      '100.64.0.0/10',
      '169.254.0.0/16',
    ]);
  });

  it('opens the edge to the gateway namespace when the environment uses Gateway API', () => {
    const s = opsSettingsSchema.parse({ exposure: { mode: 'gateway', gatewayNamespace: 'edge' } });
    const lines = allowList(networkPolicies(sampleContext(), s).map((p) => p.object));
    expect(lines).toContain('api <- ns:edge :3000');
    expect(lines).not.toContain('api <- ns:ingress :3000');
  });

  it('preview: namespace-less and without the KEDA allow', () => {
    const preview = networkPolicies(
      sampleContext({ preview: true, namespace: undefined }),
      defaultOpsSettings(),
    );
    expect(preview.every((p) => p.object.metadata.namespace === undefined)).toBe(true);
    expect(allowList(preview.map((p) => p.object))).not.toContain('payday-db <- ns:keda :5432');
  });

  it('preview: no egress out of the namespace but DNS and the database’s API-server rule', () => {
    const preview = networkPolicies(
      sampleContext({ preview: true, namespace: undefined }),
      defaultOpsSettings(),
    );
    const outward = allowList(preview.map((p) => p.object)).filter(
      (line) => line.includes(' -> ') && !line.includes('-> pod:'),
    );
    expect(outward).toEqual([
      'allow-dns -> ns:kube-system :udp/53,53',
      'payday-db -> cidr:0.0.0.0/0 :443,6443',
    ]);
  });

  it('no collector egress where the apps export no telemetry', () => {
    const s = opsSettingsSchema.parse({ monitoring: { otlpEndpoint: null } });
    const lines = allowList(networkPolicies(sampleContext(), s).map((p) => p.object));
    expect(lines.filter((l) => l.includes('observability'))).toEqual([]);
  });
});
