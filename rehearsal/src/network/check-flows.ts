/**
 * Plays the flow matrix through one scenario's NetworkPolicies. Every flow is evaluated for every
 * pair of matching source and destination pods (a canary's pods and each database instance
 * count separately); findings say which side blocks, or what lets a forbidden flow through.
 * Whatever cannot be evaluated (no pod matches, an unknown port name, a policy the API server
 * would refuse) is an error, never a pass.
 */
import ipaddr from 'ipaddr.js';
import { type Finding, type K8sObject, ref, type Scenario } from '../model.js';
import {
  type ContainerPort,
  type Endpoint,
  evaluate,
  type Network,
  type PodEndpoint,
  type Side,
} from './evaluate.js';
import type { Flow, FlowEndpoint, FlowMatrix } from './flow-matrix.js';
import { describeSelector, matchesSelector } from './label-selector.js';
import { type NetworkPolicy, readNetworkPolicy } from './network-policy.js';

const METADATA_NAME = 'kubernetes.io/metadata.name';

/** Scenario names the model gives previews (model.ts Scenario). */
export const isPreview = (scenario: Scenario): boolean => scenario.name === 'preview';

export function networkOf(scenario: Scenario): { network: Network; errors: Finding[] } {
  const errors: Finding[] = [];
  const policies: NetworkPolicy[] = [];
  const namespaces = new Map<string, Record<string, string>>();
  for (const { object } of scenario.objects) {
    if (object.kind === 'Namespace') namespaces.set(object.metadata.name, object.metadata.labels ?? {});
    if (object.kind !== 'NetworkPolicy') continue;
    const namespace = object.metadata.namespace ?? scenario.namespace;
    const subject = `NetworkPolicy/${namespace}/${object.metadata.name}`;
    try {
      policies.push(readNetworkPolicy(object, namespace));
    } catch (error) {
      const message = (error as Error).message;
      errors.push(
        finding(subject, message.startsWith(`${subject}: `) ? message.slice(subject.length + 2) : message),
      );
    }
  }
  // Asked for every peer of every connection: each namespace's labels are built once.
  const labelsOf = new Map<string, Record<string, string>>();
  return {
    network: {
      policies,
      // The API server sets kubernetes.io/metadata.name on every namespace (immutable, from
      // Kubernetes 1.22; Kubernetes docs, network-policies "Targeting a Namespace by its name").
      namespaceLabels: (ns) => {
        let labels = labelsOf.get(ns);
        if (!labels) {
          labels = { ...namespaces.get(ns), [METADATA_NAME]: ns };
          labelsOf.set(ns, labels);
        }
        return labels;
      },
    },
    errors,
  };
}

const finding = (subject: string, message: string): Finding => ({
  check: 'network',
  severity: 'error',
  subject,
  message,
});

const applies = (flow: Flow, scenario: Scenario): boolean => {
  if (flow.in !== 'all' && (flow.in === 'preview') !== isPreview(scenario)) return false;
  if (!flow.when) return true;
  const { kind, triggerType } = flow.when;
  return scenario.objects.some(
    ({ object }) =>
      object.kind === kind &&
      (triggerType === undefined ||
        ((object.spec as { triggers?: { type?: string }[] } | undefined)?.triggers ?? []).some(
          (t) => t.type === triggerType,
        )),
  );
};

const endpointName = (e: FlowEndpoint): string => ('pods' in e ? e.pods.name : e.address.name);

/** `api → database:5432`, `any pod → kube-dns:53/UDP`. */
export function flowName(flow: Flow): string {
  const protocol = flow.protocol && flow.protocol !== 'TCP' ? `/${flow.protocol}` : '';
  return `${endpointName(flow.from)} → ${endpointName(flow.to)}:${flow.port}${protocol}`;
}

function resolve(endpoint: FlowEndpoint, scenario: Scenario, pods: PodEndpoint[]): Endpoint[] | string {
  if ('address' in endpoint) {
    const { address } = endpoint.address;
    return ipaddr.isValid(address) ? [{ kind: 'address', address }] : `"${address}" is not an IP address`;
  }
  const { name, labels, external } = endpoint.pods;
  const namespace = endpoint.pods.namespace ?? scenario.namespace;
  if (external) return [{ kind: 'pod', namespace, name, labels, ports: external.ports ?? [] }];
  const found = pods.filter(
    (p) => p.namespace === namespace && matchesSelector({ matchLabels: labels }, p.labels),
  );
  return found.length > 0
    ? found
    : `no pod in ${namespace} matches ${describeSelector({ matchLabels: labels })}`;
}

/**
 * `payday-prod/api`: the flow's name for the pods, in their namespace; the pod's own name when
 * the flow means every pod of the namespace.
 */
function who(endpoint: Endpoint, flowEndpoint: FlowEndpoint): string {
  if (endpoint.kind !== 'pod') return endpoint.address;
  const everyPod = 'pods' in flowEndpoint && Object.keys(flowEndpoint.pods.labels).length === 0;
  return `${endpoint.namespace}/${everyPod ? endpoint.name : endpointName(flowEndpoint)}`;
}

function blockedBecause(
  side: Side,
  direction: 'egress from' | 'ingress to',
  name: string,
): string | undefined {
  return side.allowed ? undefined : `${direction} ${name} not allowed by any NetworkPolicy selecting it`;
}

function allowedBecause(
  side: Side,
  direction: 'egress from' | 'ingress to',
  name: string,
): string | undefined {
  if (!side.allowed || side.reason === 'outside') return undefined;
  return side.reason === 'not-isolated'
    ? `${direction} ${name} not isolated by any NetworkPolicy`
    : `${direction} ${name} allowed by NetworkPolicy ${side.policy}`;
}

/** One flow's outcome in one scenario: its findings, or why it holds. */
export interface FlowResult {
  flow: Flow;
  name: string;
  findings: Finding[];
  /** For a flow that holds: the policies that let it through, or the side that stops it. */
  evidence?: string;
}

interface PodObject {
  spec?: { containers?: { ports?: ContainerPort[] }[]; initContainers?: { ports?: ContainerPort[] }[] };
}

/**
 * The scenario's Pods, as the controller expansion created them (rehearsal/src/expand, origin
 * `expanded`): namespace, labels, container ports. The check derives no pod of its own.
 */
export function scenarioPods(scenario: Scenario): PodEndpoint[] {
  return scenario.objects.flatMap(({ object }) => {
    if (object.kind !== 'Pod') return [];
    const spec = (object as PodObject).spec;
    const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
    return [
      {
        kind: 'pod' as const,
        namespace: object.metadata.namespace ?? scenario.namespace,
        name: object.metadata.name,
        labels: object.metadata.labels ?? {},
        ports: containers.flatMap((c) => c.ports ?? []),
      },
    ];
  });
}

/**
 * Something that always runs pods: a pod template (Deployment, Rollout, Job, CronJob, …) or a
 * CloudNativePG Cluster.
 */
const runsPods = (object: K8sObject): boolean => {
  const spec = (object.spec ?? {}) as { template?: unknown; jobTemplate?: unknown };
  return (
    spec.template !== undefined ||
    spec.jobTemplate !== undefined ||
    (object.kind === 'Cluster' && object.apiVersion.startsWith('postgresql.cnpg.io/'))
  );
};

/**
 * A scenario holding workloads but no Pod skipped the controller expansion: every flow would
 * fail on missing pods for the wrong reason, so the check says so once and plays nothing.
 * A scenario with no workload at all simply has no pods; its flows fail on the pods they miss.
 */
function unexpanded(scenario: Scenario, pods: PodEndpoint[]): Finding | undefined {
  if (pods.length > 0) return undefined;
  const workload = scenario.objects.find((o) => runsPods(o.object))?.object;
  if (!workload) return undefined;
  return finding(
    `Scenario/${scenario.name}`,
    `${ref(workload)} runs pods, but the scenario holds no Pod: build it with buildScenarios (or run expandObjects) first; the network check reads the Pods the controller expansion creates and derives none`,
  );
}

export function playFlows(
  scenario: Scenario,
  flows: FlowMatrix,
): { errors: Finding[]; results: FlowResult[] } {
  const { network, errors } = networkOf(scenario);
  if (errors.length > 0) return { errors, results: [] };
  const pods = scenarioPods(scenario);
  const missing = unexpanded(scenario, pods);
  if (missing) return { errors: [missing], results: [] };
  const results = flows
    .filter((f) => applies(f, scenario))
    .map((flow) => playFlow(network, scenario, pods, flow));
  return { errors, results };
}

export function checkFlows(scenario: Scenario, flows: FlowMatrix): Finding[] {
  const { errors, results } = playFlows(scenario, flows);
  return [...errors, ...results.flatMap((r) => r.findings)];
}

function playFlow(network: Network, scenario: Scenario, pods: PodEndpoint[], flow: Flow): FlowResult {
  const name = flowName(flow);
  const sources = resolve(flow.from, scenario, pods);
  const destinations = resolve(flow.to, scenario, pods);
  if (typeof sources === 'string' || typeof destinations === 'string') {
    const why = [sources, destinations].filter((s) => typeof s === 'string').join('; ');
    return {
      flow,
      name,
      findings: [finding(`Flow/${scenario.namespace}/${name}`, `${name} cannot be evaluated: ${why}`)],
    };
  }
  // One finding per distinct message, naming the first pod it was seen on.
  const messages = new Map<string, string>();
  const note = (message: string, subject: string) => {
    if (!messages.has(message)) messages.set(message, subject);
  };
  let evidence: string | undefined;
  for (const to of destinations) {
    const port = portNumber(flow, to);
    if (typeof port === 'string') {
      note(`${name} cannot be evaluated: ${port}`, subjectOf(to));
      continue;
    }
    for (const from of sources) {
      if (from === to) continue;
      const verdict = evaluate(network, { from, to, port, protocol: flow.protocol ?? 'TCP' });
      const source = who(from, flow.from);
      const destination = who(to, flow.to);
      if (flow.expect === 'allowed' && !verdict.allowed) {
        const why = [
          blockedBecause(verdict.egress, 'egress from', source),
          blockedBecause(verdict.ingress, 'ingress to', destination),
        ].filter(Boolean);
        note(`${name} blocked: ${why.join('; ')}`, subjectOf(verdict.egress.allowed ? to : from));
      } else if (flow.expect === 'blocked' && verdict.allowed) {
        const why = [
          allowedBecause(verdict.egress, 'egress from', source),
          allowedBecause(verdict.ingress, 'ingress to', destination),
        ].filter(Boolean);
        note(`${name} allowed, must be blocked: ${why.join('; ')}`, subjectOf(from));
      } else {
        evidence ??=
          flow.expect === 'allowed'
            ? openedBy(verdict.egress, verdict.ingress)
            : closedBy(verdict.egress, verdict.ingress);
      }
    }
  }
  const findings = [...messages].map(([message, subject]) => finding(subject, message));
  if (findings.length > 0) return { flow, name, findings };
  return { flow, name, findings, evidence: evidence ?? 'vacuous: no two distinct pods to connect' };
}

const sideText = (side: Side): string =>
  !side.allowed
    ? `closed (${side.isolatedBy.join(', ')})`
    : side.reason === 'rule'
      ? side.policy
      : side.reason === 'outside'
        ? 'outside the cluster'
        : 'not isolated';

const openedBy = (egress: Side, ingress: Side): string =>
  `egress: ${sideText(egress)} · ingress: ${sideText(ingress)}`;

const closedBy = (egress: Side, ingress: Side): string =>
  [
    egress.allowed ? undefined : `egress ${sideText(egress)}`,
    ingress.allowed ? undefined : `ingress ${sideText(ingress)}`,
  ]
    .filter(Boolean)
    .join(' · ');

/**
 * The readable report: one line per flow, `ok` with what lets it through (or stops it), `FAIL`
 * with the finding.
 */
export function reportFlows(scenario: Scenario, flows: FlowMatrix): string {
  const { errors, results } = playFlows(scenario, flows);
  const failed = results.filter((r) => r.findings.length > 0).length + errors.length;
  const lines = [`${scenario.name} (${scenario.namespace}): ${results.length} flows, ${failed} failing`];
  for (const error of errors) lines.push(`  FAIL ${error.subject}: ${error.message}`);
  for (const result of results) {
    const verb = result.flow.expect === 'allowed' ? 'must reach' : 'must not reach';
    if (result.findings.length === 0)
      lines.push(`  ok   ${result.name} (${verb}) ${result.evidence ?? ''}`.trimEnd());
    for (const f of result.findings) lines.push(`  FAIL ${f.message}`);
  }
  return lines.join('\n');
}

const subjectOf = (endpoint: Endpoint): string =>
  endpoint.kind === 'pod'
    ? ref({ kind: 'Pod', metadata: { name: endpoint.name, namespace: endpoint.namespace } } as K8sObject)
    : `Address/${endpoint.address}`;

function portNumber(flow: Flow, to: Endpoint): number | string {
  if (typeof flow.port === 'number') return flow.port;
  const protocol = flow.protocol ?? 'TCP';
  const found =
    to.kind === 'pod' && to.ports.find((p) => p.name === flow.port && (p.protocol ?? 'TCP') === protocol);
  if (found) return found.containerPort;
  return to.kind === 'pod'
    ? `no ${protocol} container port named ${flow.port} on ${to.namespace}/${to.name}`
    : `a port name (${flow.port}) needs a pod, not ${to.address}`;
}
