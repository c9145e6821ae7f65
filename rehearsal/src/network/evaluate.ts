/**
 * Whether one connection is allowed under a set of NetworkPolicies, with Kubernetes semantics
 * (Kubernetes docs, concepts/services-networking/network-policies; NetworkPolicySpec in the
 * 1.34 API reference):
 *
 * - a pod is isolated for egress (ingress) only if some policy selecting it has that policy type;
 *   a pod no policy isolates allows everything in that direction;
 * - an isolated pod allows what at least one rule of the policies selecting it allows: policies
 *   are additive, order does not matter;
 * - a connection between two pods needs egress allowed at the source AND ingress allowed at the
 *   destination;
 * - a peer with both namespaceSelector and podSelector selects those pods in those namespaces; a
 *   podSelector alone means the policy's own namespace; a namespaceSelector alone every pod there;
 * - `ipBlock` matches addresses. Pods carry no address here: pod IPs are ephemeral, and whether an
 *   ipBlock also covers in-cluster pod traffic depends on the network plugin (the docs say ipBlock
 *   "should be cluster-external IPs"), so no pod-to-pod flow may rely on one;
 * - a named port in a rule matches when the destination pod has a container port of that name,
 *   protocol and number (ingress: the selected pod; egress: the destination pod).
 */
import { inIpBlock } from './ip-block.js';
import { type Labels, matchesSelector } from './label-selector.js';
import type { NetworkPolicy, Peer, PolicyPort, PolicyRule, Protocol } from './network-policy.js';

export interface ContainerPort {
  name?: string;
  containerPort: number;
  /** Defaults to TCP, as in the Pod API. */
  protocol?: Protocol;
}

export interface PodEndpoint {
  kind: 'pod';
  namespace: string;
  name: string;
  labels: Labels;
  ports: readonly ContainerPort[];
}

/** Something outside the cluster's pod network: the internet, a cloud API. */
export interface AddressEndpoint {
  kind: 'address';
  address: string;
}

export type Endpoint = PodEndpoint | AddressEndpoint;

export interface Connection {
  from: Endpoint;
  to: Endpoint;
  port: number;
  protocol: Protocol;
}

export interface Network {
  policies: readonly NetworkPolicy[];
  /** A namespace's labels (always including `kubernetes.io/metadata.name`). */
  namespaceLabels(namespace: string): Labels;
}

/** One direction's answer. `policies` are the policies that isolate the pod in that direction. */
export type Side =
  | { allowed: true; reason: 'outside' }
  | { allowed: true; reason: 'not-isolated' }
  | { allowed: true; reason: 'rule'; policy: string; isolatedBy: string[] }
  | { allowed: false; isolatedBy: string[] };

export interface Verdict {
  allowed: boolean;
  egress: Side;
  ingress: Side;
}

export function evaluate(network: Network, connection: Connection): Verdict {
  const egress = side(network, connection, 'egress');
  const ingress = side(network, connection, 'ingress');
  return { allowed: egress.allowed && ingress.allowed, egress, ingress };
}

/** The policies isolating a pod in one direction, and their names. */
interface Isolation {
  policies: NetworkPolicy[];
  names: string[];
}

/**
 * Which policies isolate a pod depends on the pod and the direction alone, while a flow matrix
 * asks about every pair of pods: found once per (network, pod, direction). Keyed by the objects
 * themselves, so it lives as long as the network the caller built.
 */
const isolations = new WeakMap<Network, WeakMap<PodEndpoint, { ingress?: Isolation; egress?: Isolation }>>();

function isolationOf(network: Network, pod: PodEndpoint, direction: 'ingress' | 'egress'): Isolation {
  let byPod = isolations.get(network);
  if (!byPod) {
    byPod = new WeakMap();
    isolations.set(network, byPod);
  }
  let known = byPod.get(pod);
  if (!known) {
    known = {};
    byPod.set(pod, known);
  }
  let isolation = known[direction];
  if (!isolation) {
    const policies = network.policies.filter(
      (p) => p.namespace === pod.namespace && p[direction] && matchesSelector(p.podSelector, pod.labels),
    );
    isolation = { policies, names: policies.map((p) => `${p.namespace}/${p.name}`) };
    known[direction] = isolation;
  }
  return isolation;
}

function side(network: Network, connection: Connection, direction: 'ingress' | 'egress'): Side {
  const pod = direction === 'egress' ? connection.from : connection.to;
  const peer = direction === 'egress' ? connection.to : connection.from;
  if (pod.kind !== 'pod') return { allowed: true, reason: 'outside' };
  const { policies: isolating, names } = isolationOf(network, pod, direction);
  if (isolating.length === 0) return { allowed: true, reason: 'not-isolated' };
  // A copy per verdict: callers own what they are given.
  const isolatedBy = [...names];
  for (const policy of isolating) {
    const rules = direction === 'egress' ? policy.egressRules : policy.ingressRules;
    if (rules.some((rule) => ruleAllows(network, policy, rule, peer, connection))) {
      return { allowed: true, reason: 'rule', policy: `${policy.namespace}/${policy.name}`, isolatedBy };
    }
  }
  return { allowed: false, isolatedBy };
}

function ruleAllows(
  network: Network,
  policy: NetworkPolicy,
  rule: PolicyRule,
  peer: Endpoint,
  connection: Connection,
): boolean {
  // NetworkPolicyIngressRule/EgressRule: an empty or missing list matches everything.
  const peerOk = !rule.peers?.length || rule.peers.some((p) => peerMatches(network, policy, p, peer));
  const portOk = !rule.ports?.length || rule.ports.some((p) => portMatches(p, connection));
  return peerOk && portOk;
}

function peerMatches(network: Network, policy: NetworkPolicy, peer: Peer, endpoint: Endpoint): boolean {
  if (peer.kind === 'ipBlock') {
    return endpoint.kind === 'address' && inIpBlock(endpoint.address, peer.ranges, `${policy.name} ipBlock`);
  }
  if (endpoint.kind !== 'pod') return false;
  const namespaceOk = peer.namespaceSelector
    ? matchesSelector(peer.namespaceSelector, network.namespaceLabels(endpoint.namespace))
    : endpoint.namespace === policy.namespace;
  return namespaceOk && (!peer.podSelector || matchesSelector(peer.podSelector, endpoint.labels));
}

function portMatches(rulePort: PolicyPort, connection: Connection): boolean {
  if (rulePort.protocol !== connection.protocol) return false;
  if (rulePort.port === undefined) return true;
  if (typeof rulePort.port === 'number') {
    const end = rulePort.endPort ?? rulePort.port;
    return connection.port >= rulePort.port && connection.port <= end;
  }
  const destination = connection.to;
  if (destination.kind !== 'pod') return false;
  return destination.ports.some(
    (p) =>
      p.name === rulePort.port &&
      (p.protocol ?? 'TCP') === connection.protocol &&
      p.containerPort === connection.port,
  );
}
