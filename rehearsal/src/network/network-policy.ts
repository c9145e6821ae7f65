/**
 * A NetworkPolicy (networking.k8s.io/v1) read into the shape the evaluator uses. Field meanings
 * are the Kubernetes 1.34 API reference's (NetworkPolicySpec, NetworkPolicyPeer,
 * NetworkPolicyPort, IPBlock in kubernetes release-1.34
 * api/openapi-spec/v3/apis__networking.k8s.io__v1_openapi.json, the schema the rendered policies
 * are validated against through generators/schemas/);
 * what the API server would reject (a peer with ipBlock and a selector, endPort on a named port)
 * fails here too, naming the policy, instead of being guessed at.
 */
import { z } from 'zod';
import type { K8sObject } from '../model.js';
import { type IpBlock, type ParsedIpBlock, parseCidr } from './ip-block.js';
import { type LabelSelector, labelSelectorSchema } from './label-selector.js';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

const portSchema = z
  .object({
    protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(),
    port: z.union([z.number().int().min(1).max(65535), z.string().min(1)]).optional(),
    endPort: z.number().int().min(1).max(65535).optional(),
  })
  .strict();

const peerSchema = z
  .object({
    podSelector: labelSelectorSchema.optional(),
    namespaceSelector: labelSelectorSchema.optional(),
    ipBlock: z
      .object({ cidr: z.string(), except: z.array(z.string()).optional() })
      .strict()
      .optional(),
  })
  .strict();

const specSchema = z
  .object({
    podSelector: labelSelectorSchema.optional(),
    policyTypes: z.array(z.enum(['Ingress', 'Egress'])).optional(),
    ingress: z
      .array(
        z.object({ from: z.array(peerSchema).optional(), ports: z.array(portSchema).optional() }).strict(),
      )
      .optional(),
    egress: z
      .array(z.object({ to: z.array(peerSchema).optional(), ports: z.array(portSchema).optional() }).strict())
      .optional(),
  })
  .strict();

export type Peer =
  /** `ranges`: the block parsed once when the policy is read, for every connection it is matched against. */
  | { kind: 'ipBlock'; ipBlock: IpBlock; ranges: ParsedIpBlock }
  /** `namespaceSelector` absent: the policy's own namespace. `podSelector` absent: every pod. */
  | { kind: 'pods'; podSelector?: LabelSelector; namespaceSelector?: LabelSelector };

export interface PolicyPort {
  protocol: Protocol;
  /** Absent: every port of the protocol. */
  port?: number | string;
  endPort?: number;
}

export interface PolicyRule {
  /** Absent or empty: every peer. */
  peers?: Peer[];
  /** Absent or empty: every port. */
  ports?: PolicyPort[];
}

export interface NetworkPolicy {
  namespace: string;
  name: string;
  /** Absent in the object means the empty selector: every pod of the namespace. */
  podSelector: LabelSelector;
  /** Which directions it isolates, after defaulting. */
  ingress: boolean;
  egress: boolean;
  ingressRules: PolicyRule[];
  egressRules: PolicyRule[];
}

/** `NetworkPolicy/namespace/name: ...`, thrown for whatever the API server would refuse. */
export class PolicyError extends Error {}

export function readNetworkPolicy(object: K8sObject, namespace: string): NetworkPolicy {
  const subject = `NetworkPolicy/${namespace}/${object.metadata.name}`;
  const parsed = specSchema.safeParse(object.spec ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PolicyError(`${subject}: spec.${issue?.path.join('.')}: ${issue?.message}`);
  }
  const spec = parsed.data;
  // policyTypes defaulting (NetworkPolicySpec.policyTypes): Ingress always, Egress when the
  // policy has an egress section.
  const types = spec.policyTypes ?? (spec.egress !== undefined ? ['Ingress', 'Egress'] : ['Ingress']);
  const peers = (list: z.infer<typeof peerSchema>[] | undefined, field: string): Peer[] | undefined =>
    list?.map((peer, i) => readPeer(peer, `${subject}: spec.${field}[${i}]`));
  const ports = (list: z.infer<typeof portSchema>[] | undefined, field: string): PolicyPort[] | undefined =>
    list?.map((port, i) => readPort(port, `${subject}: spec.${field}[${i}]`));
  return {
    namespace,
    name: object.metadata.name,
    podSelector: spec.podSelector ?? {},
    ingress: types.includes('Ingress'),
    egress: types.includes('Egress'),
    ingressRules: (spec.ingress ?? []).map((rule, i) => ({
      peers: peers(rule.from, `ingress[${i}].from`),
      ports: ports(rule.ports, `ingress[${i}].ports`),
    })),
    egressRules: (spec.egress ?? []).map((rule, i) => ({
      peers: peers(rule.to, `egress[${i}].to`),
      ports: ports(rule.ports, `egress[${i}].ports`),
    })),
  };
}

function readPeer(peer: z.infer<typeof peerSchema>, where: string): Peer {
  if (peer.ipBlock) {
    // NetworkPolicyPeer.ipBlock: "If this field is set then neither of the other fields can be."
    if (peer.podSelector || peer.namespaceSelector) {
      throw new PolicyError(`${where}: ipBlock cannot be combined with podSelector or namespaceSelector`);
    }
    const cidr = parseCidr(peer.ipBlock.cidr, `${where}.ipBlock.cidr`);
    const excepts: ParsedIpBlock['except'] = [];
    for (const [i, except] of (peer.ipBlock.except ?? []).entries()) {
      // IPBlock.except: "Except values will be rejected if they are outside the cidr range".
      const inner = parseCidr(except, `${where}.ipBlock.except[${i}]`);
      if (inner[0].kind() !== cidr[0].kind() || inner[1] < cidr[1] || !inner[0].match(cidr)) {
        throw new PolicyError(`${where}.ipBlock.except[${i}]: ${except} is outside ${peer.ipBlock.cidr}`);
      }
      excepts.push(inner);
    }
    return { kind: 'ipBlock', ipBlock: peer.ipBlock, ranges: { cidr, except: excepts } };
  }
  if (!peer.podSelector && !peer.namespaceSelector) {
    throw new PolicyError(`${where}: a peer needs podSelector, namespaceSelector or ipBlock`);
  }
  return { kind: 'pods', podSelector: peer.podSelector, namespaceSelector: peer.namespaceSelector };
}

function readPort(port: z.infer<typeof portSchema>, where: string): PolicyPort {
  if (port.endPort !== undefined) {
    // NetworkPolicyPort.endPort: not without port, not with a named port, and >= port.
    if (typeof port.port !== 'number') {
      throw new PolicyError(`${where}: endPort needs a numeric port`);
    }
    if (port.endPort < port.port)
      throw new PolicyError(`${where}: endPort ${port.endPort} < port ${port.port}`);
  }
  return { protocol: port.protocol ?? 'TCP', port: port.port, endPort: port.endPort };
}
