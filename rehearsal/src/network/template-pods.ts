/**
 * Stand-in pods, until controller expansion puts real ones (kind Pod, origin `expanded`) in the
 * scenario: one pod per workload from its pod template, and CloudNativePG's instance pods from
 * the Cluster. Only what reachability reads is derived: namespace, labels, container ports.
 * `scenarioPods` prefers the scenario's own Pods whenever it holds any.
 */
import type { ClusterObject, K8sObject, Scenario } from '../model.js';
import type { ContainerPort, PodEndpoint } from './evaluate.js';

interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec?: { containers?: { ports?: ContainerPort[] }[]; initContainers?: { ports?: ContainerPort[] }[] };
}

const TEMPLATE_PATHS: Record<string, (spec: Record<string, unknown>) => unknown> = {
  Deployment: (s) => s.template,
  StatefulSet: (s) => s.template,
  DaemonSet: (s) => s.template,
  ReplicaSet: (s) => s.template,
  Rollout: (s) => s.template,
  Job: (s) => s.template,
  CronJob: (s) => (s.jobTemplate as { spec?: { template?: unknown } } | undefined)?.spec?.template,
};

const namespaceOf = (object: K8sObject, scenario: Scenario): string =>
  object.metadata.namespace ?? scenario.namespace;

function fromPodSpec(namespace: string, name: string, template: PodTemplate): PodEndpoint {
  const containers = [...(template.spec?.containers ?? []), ...(template.spec?.initContainers ?? [])];
  return {
    kind: 'pod',
    namespace,
    name,
    labels: template.metadata?.labels ?? {},
    ports: containers.flatMap((c) => c.ports ?? []),
  };
}

/**
 * CloudNativePG v1.30.0 (the operator of chart cloudnative-pg 0.29.0): instance pods are named
 * `<cluster>-<n>` and labelled `cnpg.io/cluster`, `cnpg.io/instanceName`, `cnpg.io/podRole:
 * instance` and `cnpg.io/instanceRole` (pkg/utils/labels_annotations.go); the postgres container
 * exposes `postgresql` 5432, `metrics` 9187 and `status` 8000 (pkg/specs/pods.go,
 * pkg/management/url/url.go).
 */
function cnpgInstances(cluster: K8sObject, namespace: string): PodEndpoint[] {
  const instances = Number((cluster.spec as { instances?: number } | undefined)?.instances ?? 1);
  return Array.from({ length: instances }, (_, i) => {
    const name = `${cluster.metadata.name}-${i + 1}`;
    return {
      kind: 'pod',
      namespace,
      name,
      labels: {
        'cnpg.io/cluster': cluster.metadata.name,
        'cnpg.io/instanceName': name,
        'cnpg.io/podRole': 'instance',
        'cnpg.io/instanceRole': i === 0 ? 'primary' : 'replica',
        role: i === 0 ? 'primary' : 'replica',
      },
      ports: [
        { name: 'postgresql', containerPort: 5432, protocol: 'TCP' },
        { name: 'metrics', containerPort: 9187, protocol: 'TCP' },
        { name: 'status', containerPort: 8000, protocol: 'TCP' },
      ],
    };
  });
}

export function templatePods(scenario: Scenario): PodEndpoint[] {
  return scenario.objects.flatMap(({ object }) => {
    const namespace = namespaceOf(object, scenario);
    if (object.kind === 'Cluster' && object.apiVersion.startsWith('postgresql.cnpg.io/')) {
      return cnpgInstances(object, namespace);
    }
    const path = TEMPLATE_PATHS[object.kind];
    const template = path?.((object.spec ?? {}) as Record<string, unknown>) as PodTemplate | undefined;
    return template ? [fromPodSpec(namespace, object.metadata.name, template)] : [];
  });
}

/** The scenario's pods: its Pod objects if it holds any (controller expansion), else stand-ins. */
export function scenarioPods(scenario: Scenario): PodEndpoint[] {
  const pods = scenario.objects.filter((o: ClusterObject) => o.object.kind === 'Pod');
  if (pods.length === 0) return templatePods(scenario);
  return pods.map(({ object }) =>
    fromPodSpec(namespaceOf(object, scenario), object.metadata.name, object as unknown as PodTemplate),
  );
}
