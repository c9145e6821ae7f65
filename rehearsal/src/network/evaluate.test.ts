/**
 * The evaluator against the examples of the Kubernetes documentation page
 * concepts/services-networking/network-policies (each test names its example).
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { K8sObject } from '../model.js';
import { type Connection, type Endpoint, evaluate, type Network, type PodEndpoint } from './evaluate.js';
import { readNetworkPolicy } from './network-policy.js';

const NAMESPACE_LABELS: Record<string, Record<string, string>> = {
  default: {},
  myproject: { project: 'myproject' },
  other: {},
  alice: { user: 'alice' },
};

function network(...yamls: string[]): Network {
  return {
    policies: yamls.map((y) => {
      const object = parse(y) as K8sObject;
      return readNetworkPolicy(object, object.metadata.namespace ?? 'default');
    }),
    namespaceLabels: (ns) => ({ ...NAMESPACE_LABELS[ns], 'kubernetes.io/metadata.name': ns }),
  };
}

const pod = (
  namespace: string,
  labels: Record<string, string>,
  ports: PodEndpoint['ports'] = [],
): PodEndpoint => ({
  kind: 'pod',
  namespace,
  name: Object.values(labels).join('-') || 'unlabelled',
  labels,
  ports,
});
const address = (a: string): Endpoint => ({ kind: 'address', address: a });
const tcp = (from: Endpoint, to: Endpoint, port: number): Connection => ({ from, to, port, protocol: 'TCP' });

const db = pod('default', { role: 'db' }, [{ name: 'redis', containerPort: 6379 }]);
const frontend = pod('default', { role: 'frontend' });
const stranger = pod('default', { role: 'other' });

describe('doc example "test-network-policy" (The NetworkPolicy resource)', () => {
  const net = network(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: test-network-policy, namespace: default }
spec:
  podSelector: { matchLabels: { role: db } }
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - ipBlock: { cidr: 172.17.0.0/16, except: [172.17.1.0/24] }
    - namespaceSelector: { matchLabels: { project: myproject } }
    - podSelector: { matchLabels: { role: frontend } }
    ports: [{ protocol: TCP, port: 6379 }]
  egress:
  - to: [{ ipBlock: { cidr: 10.0.0.0/24 } }]
    ports: [{ protocol: TCP, port: 5978 }]
`);

  it('allows role=frontend pods of the default namespace on TCP 6379', () => {
    expect(evaluate(net, tcp(frontend, db, 6379)).allowed).toBe(true);
  });
  it('allows any pod of a namespace labelled project=myproject', () => {
    expect(evaluate(net, tcp(pod('myproject', { any: 'thing' }), db, 6379)).allowed).toBe(true);
  });
  it('allows 172.17.0.0/16 except 172.17.1.0/24', () => {
    expect(evaluate(net, tcp(address('172.17.0.9'), db, 6379)).allowed).toBe(true);
    expect(evaluate(net, tcp(address('172.17.2.1'), db, 6379)).allowed).toBe(true);
    expect(evaluate(net, tcp(address('172.17.1.5'), db, 6379)).allowed).toBe(false);
    expect(evaluate(net, tcp(address('172.18.0.1'), db, 6379)).allowed).toBe(false);
  });
  it('denies other pods, role=frontend pods of other namespaces, and other ports', () => {
    expect(evaluate(net, tcp(stranger, db, 6379)).ingress).toEqual({
      allowed: false,
      isolatedBy: ['default/test-network-policy'],
    });
    expect(evaluate(net, tcp(pod('other', { role: 'frontend' }), db, 6379)).allowed).toBe(false);
    expect(evaluate(net, tcp(frontend, db, 6380)).allowed).toBe(false);
    expect(evaluate(net, { ...tcp(frontend, db, 6379), protocol: 'UDP' }).allowed).toBe(false);
  });
  it('lets role=db pods reach 10.0.0.0/24 on TCP 5978 only', () => {
    expect(evaluate(net, tcp(db, address('10.0.0.7'), 5978)).allowed).toBe(true);
    expect(evaluate(net, tcp(db, address('10.0.1.7'), 5978)).egress).toEqual({
      allowed: false,
      isolatedBy: ['default/test-network-policy'],
    });
    expect(evaluate(net, tcp(db, address('10.0.0.7'), 5979)).allowed).toBe(false);
    expect(evaluate(net, tcp(db, frontend, 5978)).allowed).toBe(false);
  });
  it('leaves pods it does not select non-isolated', () => {
    expect(evaluate(net, tcp(stranger, frontend, 80))).toEqual({
      allowed: true,
      egress: { allowed: true, reason: 'not-isolated' },
      ingress: { allowed: true, reason: 'not-isolated' },
    });
  });
});

const DENY_INGRESS = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny-ingress }
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;
const DENY_EGRESS = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny-egress }
spec:
  podSelector: {}
  policyTypes: [Egress]
`;

describe('doc examples "Default policies"', () => {
  it('"Default deny all ingress traffic" isolates every pod for ingress, not egress', () => {
    const net = network(DENY_INGRESS);
    const verdict = evaluate(net, tcp(frontend, db, 6379));
    expect(verdict.ingress).toEqual({ allowed: false, isolatedBy: ['default/default-deny-ingress'] });
    expect(verdict.egress).toEqual({ allowed: true, reason: 'not-isolated' });
    expect(evaluate(net, tcp(db, address('203.0.113.1'), 443)).allowed).toBe(true);
  });
  it('"Allow all ingress traffic" reopens ingress next to the default deny', () => {
    const net = network(
      DENY_INGRESS,
      `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-all-ingress }
spec:
  podSelector: {}
  ingress: [{}]
  policyTypes: [Ingress]
`,
    );
    expect(evaluate(net, tcp(address('198.51.100.3'), db, 1)).ingress).toEqual({
      allowed: true,
      reason: 'rule',
      policy: 'default/allow-all-ingress',
      isolatedBy: ['default/default-deny-ingress', 'default/allow-all-ingress'],
    });
  });
  it('"Default deny all egress traffic" isolates every pod for egress, not ingress', () => {
    const net = network(DENY_EGRESS);
    const verdict = evaluate(net, tcp(frontend, db, 6379));
    expect(verdict.egress).toEqual({ allowed: false, isolatedBy: ['default/default-deny-egress'] });
    expect(verdict.ingress).toEqual({ allowed: true, reason: 'not-isolated' });
  });
  it('"Allow all egress traffic" reopens egress', () => {
    const net = network(
      DENY_EGRESS,
      `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-all-egress }
spec:
  podSelector: {}
  egress: [{}]
  policyTypes: [Egress]
`,
    );
    expect(evaluate(net, tcp(db, address('203.0.113.1'), 443)).allowed).toBe(true);
  });
  it('"Default deny all ingress and all egress traffic" blocks both sides', () => {
    const net = network(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny-all }
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`);
    const verdict = evaluate(net, tcp(frontend, db, 6379));
    expect(verdict.allowed).toBe(false);
    expect(verdict.egress.allowed).toBe(false);
    expect(verdict.ingress.allowed).toBe(false);
  });
  it('a connection needs egress at the source AND ingress at the destination', () => {
    const net = network(
      DENY_EGRESS,
      `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db-from-frontend }
spec:
  podSelector: { matchLabels: { role: db } }
  ingress: [{ from: [{ podSelector: { matchLabels: { role: frontend } } }] }]
`,
    );
    const verdict = evaluate(net, tcp(frontend, db, 6379));
    expect(verdict.ingress.allowed).toBe(true);
    expect(verdict.egress.allowed).toBe(false);
    expect(verdict.allowed).toBe(false);
  });
});

describe('doc example "Behavior of to and from selectors": namespaceSelector and podSelector', () => {
  const client = (ns: string) => pod(ns, { role: 'client' });
  const andPolicy = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: and, namespace: default }
spec:
  podSelector: { matchLabels: { role: db } }
  ingress:
  - from:
    - namespaceSelector: { matchLabels: { user: alice } }
      podSelector: { matchLabels: { role: client } }
`;
  const orPolicy = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: or, namespace: default }
spec:
  podSelector: { matchLabels: { role: db } }
  ingress:
  - from:
    - namespaceSelector: { matchLabels: { user: alice } }
    - podSelector: { matchLabels: { role: client } }
`;
  it('one element with both selectors: role=client pods in namespaces labelled user=alice only', () => {
    const net = network(andPolicy);
    expect(evaluate(net, tcp(client('alice'), db, 6379)).allowed).toBe(true);
    expect(evaluate(net, tcp(pod('alice', { role: 'server' }), db, 6379)).allowed).toBe(false);
    expect(evaluate(net, tcp(client('default'), db, 6379)).allowed).toBe(false);
  });
  it('two elements: role=client pods of the local namespace OR any pod of user=alice namespaces', () => {
    const net = network(orPolicy);
    expect(evaluate(net, tcp(client('default'), db, 6379)).allowed).toBe(true);
    expect(evaluate(net, tcp(pod('alice', { role: 'server' }), db, 6379)).allowed).toBe(true);
    expect(evaluate(net, tcp(client('other'), db, 6379)).allowed).toBe(false);
  });
  it('an empty namespaceSelector selects every namespace; an empty podSelector every pod', () => {
    const net = network(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: empty, namespace: default }
spec:
  podSelector: { matchLabels: { role: db } }
  ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { role: client } } }] }]
`);
    expect(evaluate(net, tcp(client('other'), db, 6379)).allowed).toBe(true);
    const local = network(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: local, namespace: default }
spec:
  podSelector: { matchLabels: { role: db } }
  ingress: [{ from: [{ podSelector: {} }] }]
`);
    expect(evaluate(local, tcp(stranger, db, 6379)).allowed).toBe(true);
    expect(evaluate(local, tcp(client('other'), db, 6379)).allowed).toBe(false);
  });
});

describe('doc example "Targeting a Namespace by its name"', () => {
  it('kubernetes.io/metadata.name selects the namespace without any label of ours', () => {
    const net = network(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: from-other, namespace: default }
spec:
  podSelector: {}
  ingress: [{ from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: other } } }] }]
`);
    expect(evaluate(net, tcp(pod('other', {}), db, 6379)).allowed).toBe(true);
    expect(evaluate(net, tcp(pod('alice', {}), db, 6379)).allowed).toBe(false);
  });
});

describe('doc example "Targeting a range of ports" (multi-port-egress)', () => {
  const net = network(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: multi-port-egress, namespace: default }
spec:
  podSelector: { matchLabels: { role: db } }
  policyTypes: [Egress]
  egress:
  - to: [{ ipBlock: { cidr: 10.0.0.0/24 } }]
    ports: [{ protocol: TCP, port: 32000, endPort: 32768 }]
`);
  it('allows every port from 32000 to 32768 inclusive, and no other', () => {
    for (const port of [32000, 32400, 32768]) {
      expect(evaluate(net, tcp(db, address('10.0.0.1'), port)).allowed).toBe(true);
    }
    for (const port of [31999, 32769]) {
      expect(evaluate(net, tcp(db, address('10.0.0.1'), port)).allowed).toBe(false);
    }
  });
});

describe('ports: protocol, named ports, omitted port', () => {
  const named = network(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: named, namespace: default }
spec:
  podSelector: { matchLabels: { role: db } }
  ingress: [{ ports: [{ port: redis }] }]
`);
  it('a named port resolves against the destination container ports (name, number and protocol)', () => {
    expect(evaluate(named, tcp(frontend, db, 6379)).allowed).toBe(true);
    expect(evaluate(named, tcp(frontend, db, 6380)).allowed).toBe(false);
    expect(evaluate(named, { ...tcp(frontend, db, 6379), protocol: 'UDP' }).allowed).toBe(false);
    const unnamed = pod('default', { role: 'db' }, [{ containerPort: 6379 }]);
    expect(evaluate(named, tcp(frontend, unnamed, 6379)).allowed).toBe(false);
  });
  it('an egress named port never matches an address (it has no container ports)', () => {
    const net = network(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: named-egress, namespace: default }
spec:
  podSelector: { matchLabels: { role: frontend } }
  policyTypes: [Egress]
  egress: [{ ports: [{ port: redis }] }]
`);
    expect(evaluate(net, tcp(frontend, db, 6379)).allowed).toBe(true);
    expect(evaluate(net, tcp(frontend, address('203.0.113.9'), 6379)).allowed).toBe(false);
  });
  it('a port without a number matches every port of its protocol; protocol defaults to TCP', () => {
    const net = network(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: udp, namespace: default }
spec:
  podSelector: {}
  ingress: [{ ports: [{ protocol: UDP }, { port: 80 }] }]
`);
    expect(evaluate(net, { ...tcp(frontend, db, 5353), protocol: 'UDP' }).allowed).toBe(true);
    expect(evaluate(net, tcp(frontend, db, 5353)).allowed).toBe(false);
    expect(evaluate(net, tcp(frontend, db, 80)).allowed).toBe(true);
  });
  it('ipBlock never matches a pod (pod IPs are not modelled)', () => {
    const net = network(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: cidr-only, namespace: default }
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{ to: [{ ipBlock: { cidr: 0.0.0.0/0 } }] }]
`);
    expect(evaluate(net, tcp(frontend, db, 6379)).allowed).toBe(false);
    expect(evaluate(net, tcp(frontend, address('8.8.8.8'), 53)).allowed).toBe(true);
    expect(evaluate(net, tcp(frontend, address('2001:db8::1'), 53)).allowed).toBe(false);
  });
});

describe('policyTypes defaulting (NetworkPolicySpec.policyTypes)', () => {
  it('without policyTypes: Ingress always, Egress only with an egress section', () => {
    const ingressOnly = network(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: no-types }
spec: { podSelector: {} }
`);
    expect(ingressOnly.policies[0]).toMatchObject({ ingress: true, egress: false });
    const withEgress = network(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: egress-section }
spec: { podSelector: {}, egress: [] }
`);
    expect(withEgress.policies[0]).toMatchObject({ ingress: true, egress: true });
    expect(evaluate(withEgress, tcp(frontend, db, 1)).allowed).toBe(false);
  });
  it('egress rules of a policy whose policyTypes leave out Egress isolate nothing', () => {
    const net = network(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ingress-typed }
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress: [{}]
  egress: [{ to: [{ ipBlock: { cidr: 10.0.0.0/8 } }] }]
`);
    expect(evaluate(net, tcp(frontend, address('203.0.113.1'), 443)).egress).toEqual({
      allowed: true,
      reason: 'not-isolated',
    });
  });
});

describe('what the API server would refuse fails closed', () => {
  const bad = (spec: string) => () =>
    network(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: bad, namespace: default }
spec: ${spec}
`);
  it.each([
    [
      '{ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/8 }, podSelector: {} }] }] }',
      'NetworkPolicy/default/bad: spec.ingress[0].from[0]: ipBlock cannot be combined with podSelector or namespaceSelector',
    ],
    [
      '{ podSelector: {}, ingress: [{ from: [{}] }] }',
      'NetworkPolicy/default/bad: spec.ingress[0].from[0]: a peer needs podSelector, namespaceSelector or ipBlock',
    ],
    [
      '{ podSelector: {}, egress: [{ ports: [{ port: http, endPort: 90 }] }] }',
      'NetworkPolicy/default/bad: spec.egress[0].ports[0]: endPort needs a numeric port',
    ],
    [
      '{ podSelector: {}, egress: [{ ports: [{ port: 100, endPort: 90 }] }] }',
      'NetworkPolicy/default/bad: spec.egress[0].ports[0]: endPort 90 < port 100',
    ],
    [
      '{ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: 10.0.0.0/8, except: [11.0.0.0/16] } }] }] }',
      'NetworkPolicy/default/bad: spec.egress[0].to[0].ipBlock.except[0]: 11.0.0.0/16 is outside 10.0.0.0/8',
    ],
    [
      '{ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: 10.0.0.0/33 } }] }] }',
      'NetworkPolicy/default/bad: spec.egress[0].to[0].ipBlock.cidr: "10.0.0.0/33" is not a CIDR',
    ],
    [
      '{ podSelector: { matchExpressions: [{ key: a, operator: Like }] } }',
      'NetworkPolicy/default/bad: spec.podSelector.matchExpressions.0.operator: Invalid option: expected one of "In"|"NotIn"|"Exists"|"DoesNotExist"',
    ],
    [
      '{ podSelector: {}, policyTypes: [Both] }',
      'NetworkPolicy/default/bad: spec.policyTypes.0: Invalid option: expected one of "Ingress"|"Egress"',
    ],
  ])('%s', (spec, message) => {
    expect(bad(spec)).toThrow(message);
  });
});
