/**
 * Kind → resource mapping (what API discovery gives a real admission controller).
 * Admission `resourceRules` name plural *resources* (`pods`, `deployments`), while rendered
 * manifests carry `apiVersion`/`kind`, so every object must be mapped before matching.
 * The table covers the Kubernetes 1.34 built-in kinds plus the pinned CRDs (generators/schemas/) this
 * repository renders; a CustomResourceDefinition among the evaluated objects extends it.
 * An unmappable kind is an error (the gate fails closed rather than silently not matching).
 */
export interface ResourceInfo {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}

type Row = [group: string, kind: string, resource: string, namespaced: boolean];

const BUILTIN: Row[] = [
  ['', 'Pod', 'pods', true],
  ['', 'Service', 'services', true],
  ['', 'ConfigMap', 'configmaps', true],
  ['', 'Secret', 'secrets', true],
  ['', 'ServiceAccount', 'serviceaccounts', true],
  ['', 'Namespace', 'namespaces', false],
  ['', 'Node', 'nodes', false],
  ['', 'PersistentVolume', 'persistentvolumes', false],
  ['', 'PersistentVolumeClaim', 'persistentvolumeclaims', true],
  ['', 'ReplicationController', 'replicationcontrollers', true],
  ['', 'ResourceQuota', 'resourcequotas', true],
  ['', 'LimitRange', 'limitranges', true],
  ['', 'Endpoints', 'endpoints', true],
  ['', 'Event', 'events', true],
  ['', 'PodTemplate', 'podtemplates', true],
  ['apps', 'Deployment', 'deployments', true],
  ['apps', 'StatefulSet', 'statefulsets', true],
  ['apps', 'DaemonSet', 'daemonsets', true],
  ['apps', 'ReplicaSet', 'replicasets', true],
  ['apps', 'ControllerRevision', 'controllerrevisions', true],
  ['batch', 'Job', 'jobs', true],
  ['batch', 'CronJob', 'cronjobs', true],
  ['autoscaling', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true],
  ['policy', 'PodDisruptionBudget', 'poddisruptionbudgets', true],
  ['networking.k8s.io', 'NetworkPolicy', 'networkpolicies', true],
  ['networking.k8s.io', 'Ingress', 'ingresses', true],
  ['networking.k8s.io', 'IngressClass', 'ingressclasses', false],
  ['rbac.authorization.k8s.io', 'Role', 'roles', true],
  ['rbac.authorization.k8s.io', 'RoleBinding', 'rolebindings', true],
  ['rbac.authorization.k8s.io', 'ClusterRole', 'clusterroles', false],
  ['rbac.authorization.k8s.io', 'ClusterRoleBinding', 'clusterrolebindings', false],
  ['storage.k8s.io', 'StorageClass', 'storageclasses', false],
  ['scheduling.k8s.io', 'PriorityClass', 'priorityclasses', false],
  ['coordination.k8s.io', 'Lease', 'leases', true],
  ['discovery.k8s.io', 'EndpointSlice', 'endpointslices', true],
  ['apiextensions.k8s.io', 'CustomResourceDefinition', 'customresourcedefinitions', false],
  ['admissionregistration.k8s.io', 'ValidatingAdmissionPolicy', 'validatingadmissionpolicies', false],
  [
    'admissionregistration.k8s.io',
    'ValidatingAdmissionPolicyBinding',
    'validatingadmissionpolicybindings',
    false,
  ],
  [
    'admissionregistration.k8s.io',
    'ValidatingWebhookConfiguration',
    'validatingwebhookconfigurations',
    false,
  ],
  ['admissionregistration.k8s.io', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false],
  ['gateway.networking.k8s.io', 'Gateway', 'gateways', true],
  ['gateway.networking.k8s.io', 'HTTPRoute', 'httproutes', true],
  // The pinned CRDs (generators/schemas/index.json): Argo Rollouts, Argo CD, CloudNativePG, External Secrets, KEDA,
  // Prometheus operator, Sealed Secrets, Kyverno.
  ['argoproj.io', 'Rollout', 'rollouts', true],
  ['argoproj.io', 'AnalysisTemplate', 'analysistemplates', true],
  ['argoproj.io', 'ClusterAnalysisTemplate', 'clusteranalysistemplates', false],
  ['argoproj.io', 'AnalysisRun', 'analysisruns', true],
  ['argoproj.io', 'Experiment', 'experiments', true],
  ['argoproj.io', 'Application', 'applications', true],
  ['argoproj.io', 'ApplicationSet', 'applicationsets', true],
  ['argoproj.io', 'AppProject', 'appprojects', true],
  ['postgresql.cnpg.io', 'Cluster', 'clusters', true],
  ['postgresql.cnpg.io', 'Backup', 'backups', true],
  ['postgresql.cnpg.io', 'ScheduledBackup', 'scheduledbackups', true],
  ['postgresql.cnpg.io', 'Pooler', 'poolers', true],
  ['barmancloud.cnpg.io', 'ObjectStore', 'objectstores', true],
  ['external-secrets.io', 'ExternalSecret', 'externalsecrets', true],
  ['external-secrets.io', 'SecretStore', 'secretstores', true],
  ['external-secrets.io', 'ClusterSecretStore', 'clustersecretstores', false],
  ['keda.sh', 'ScaledObject', 'scaledobjects', true],
  ['keda.sh', 'ScaledJob', 'scaledjobs', true],
  ['keda.sh', 'TriggerAuthentication', 'triggerauthentications', true],
  ['keda.sh', 'ClusterTriggerAuthentication', 'clustertriggerauthentications', false],
  ['monitoring.coreos.com', 'ServiceMonitor', 'servicemonitors', true],
  ['monitoring.coreos.com', 'PodMonitor', 'podmonitors', true],
  ['monitoring.coreos.com', 'PrometheusRule', 'prometheusrules', true],
  ['monitoring.coreos.com', 'Prometheus', 'prometheuses', true],
  ['monitoring.coreos.com', 'Alertmanager', 'alertmanagers', true],
  ['bitnami.com', 'SealedSecret', 'sealedsecrets', true],
  ['policies.kyverno.io', 'ValidatingPolicy', 'validatingpolicies', false],
  ['policies.kyverno.io', 'NamespacedValidatingPolicy', 'namespacedvalidatingpolicies', true],
  ['policies.kyverno.io', 'PolicyException', 'policyexceptions', true],
  ['kyverno.io', 'ClusterPolicy', 'clusterpolicies', false],
  ['kyverno.io', 'Policy', 'policies', true],
  ['kyverno.io', 'PolicyException', 'policyexceptions', true],
];

export class UnknownKindError extends Error {}

/** Splits `apps/v1` into group and version (`v1` → core group ""). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

const byGroupKindOf = (rows: Row[]): Map<string, Omit<ResourceInfo, 'version'>> =>
  new Map(
    rows.map(([group, kind, resource, namespaced]) => [
      `${group}/${kind}`,
      { group, kind, resource, namespaced },
    ]),
  );

/** The built-in table, read once per process: every gate run makes a map of its own. */
let builtin: Map<string, Omit<ResourceInfo, 'version'>> | undefined;

export class ResourceMap {
  /** Shared with every other map of the built-in table until addCrd writes to it (copy on write). */
  #byGroupKind: Map<string, Omit<ResourceInfo, 'version'>>;
  #ownTable = false;
  /**
   * lookup's answers by apiVersion and kind: every object is mapped several times (normalising,
   * the environment's lists, evaluation). Frozen, as every caller shares them; emptied by addCrd.
   */
  readonly #looked = new Map<string, Map<string, Readonly<ResourceInfo> | undefined>>();

  constructor(rows: Row[] = BUILTIN) {
    if (rows === BUILTIN) this.#byGroupKind = builtin ??= byGroupKindOf(BUILTIN);
    else {
      this.#byGroupKind = byGroupKindOf(rows);
      this.#ownTable = true;
    }
  }

  /** Learns the kinds a CustomResourceDefinition object declares. */
  addCrd(crd: Record<string, unknown>): void {
    const spec = (crd.spec ?? {}) as {
      group?: string;
      scope?: string;
      names?: { kind?: string; plural?: string };
    };
    if (!spec.group || !spec.names?.kind || !spec.names.plural) return;
    this.#looked.clear();
    if (!this.#ownTable) {
      this.#byGroupKind = new Map(this.#byGroupKind);
      this.#ownTable = true;
    }
    this.#byGroupKind.set(`${spec.group}/${spec.names.kind}`, {
      group: spec.group,
      kind: spec.names.kind,
      resource: spec.names.plural,
      namespaced: spec.scope !== 'Cluster',
    });
  }

  /** Maps apiVersion+kind; undefined when unknown. */
  lookup(apiVersion: string, kind: string): Readonly<ResourceInfo> | undefined {
    let byKind = this.#looked.get(apiVersion);
    if (!byKind) {
      byKind = new Map();
      this.#looked.set(apiVersion, byKind);
    }
    if (byKind.has(kind)) return byKind.get(kind);
    const { group, version } = splitApiVersion(apiVersion);
    const row = this.#byGroupKind.get(`${group}/${kind}`);
    const info = row ? Object.freeze({ ...row, version }) : undefined;
    byKind.set(kind, info);
    return info;
  }

  /** Maps apiVersion+kind or throws UnknownKindError naming the object. */
  resolve(apiVersion: string, kind: string): Readonly<ResourceInfo> {
    const info = this.lookup(apiVersion, kind);
    if (!info) {
      throw new UnknownKindError(
        `cannot map kind ${kind} (apiVersion ${apiVersion}) to an API resource: ` +
          'add it to policies/engine/src/kube/resource-map.ts or render its CustomResourceDefinition',
      );
    }
    return info;
  }

  /** Finds a kind by group/version/resource (for resource.List). */
  byResource(apiVersion: string, resource: string): ResourceInfo | undefined {
    const { group, version } = splitApiVersion(apiVersion);
    for (const row of this.#byGroupKind.values()) {
      if (row.group === group && row.resource === resource) return { ...row, version };
    }
    return undefined;
  }
}
