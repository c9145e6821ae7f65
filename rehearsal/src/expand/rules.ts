import { scheduledBackupRule } from './cnpg/backup.js';
import { clusterRule } from './cnpg/cluster.js';
import { poolerRule } from './cnpg/pooler.js';
import { cronJobRule } from './cronjob.js';
import { deploymentRule } from './deployment.js';
import { externalSecretRule } from './external-secret.js';
import { jobRule } from './job.js';
import { scaledObjectRule } from './keda.js';
import { namespaceRule } from './namespace.js';
import { replicaSetRule } from './replicaset.js';
import { rolloutRule } from './rollout.js';
import { daemonSetRule, statefulSetRule } from './statefulset.js';
import type { ExpansionRule, NothingCreated } from './types.js';

/** Every controller kind the rehearsal expands (docs/rehearsal.md, "Controller expansion"). */
export const RULES: ExpansionRule[] = [
  deploymentRule,
  replicaSetRule,
  rolloutRule,
  jobRule,
  cronJobRule,
  statefulSetRule,
  daemonSetRule,
  namespaceRule,
  clusterRule,
  scheduledBackupRule,
  poolerRule,
  scaledObjectRule,
  externalSecretRule,
];

/**
 * Kinds declared as creating nothing the rehearsal needs, each with the reason. A kind that is
 * neither here nor in RULES is an error finding: the rehearsal never silently skips a controller.
 */
export const NOTHING: NothingCreated[] = [
  { group: '', kind: 'Pod', reason: 'the kubelet runs it; it creates no API objects' },
  { group: '', kind: 'Secret', reason: 'data only' },
  { group: '', kind: 'ConfigMap', reason: 'data only' },
  {
    group: '',
    kind: 'ServiceAccount',
    reason: 'token Secrets are no longer created (Kubernetes 1.24+); tokens are projected',
  },
  {
    group: '',
    kind: 'PersistentVolumeClaim',
    reason: 'the storage provisioner binds a cluster-scoped PersistentVolume outside the namespace',
  },
  {
    group: '',
    kind: 'Service',
    reason:
      'the EndpointSlice controller mirrors its selected Pods; no check reads EndpointSlices (the Pods are in the scenario)',
  },
  { group: 'apps', kind: 'ControllerRevision', reason: 'history only' },
  { group: 'autoscaling', kind: 'HorizontalPodAutoscaler', reason: 'scales its target; creates nothing' },
  { group: 'policy', kind: 'PodDisruptionBudget', reason: 'constrains evictions; creates nothing' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy', reason: 'enforced by the CNI; creates nothing' },
  {
    group: 'networking.k8s.io',
    kind: 'Ingress',
    reason: 'the ingress controller programs its proxy; creates no API objects in the namespace',
  },
  { group: 'rbac.authorization.k8s.io', kind: 'Role', reason: 'authorization data only' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding', reason: 'authorization data only' },
  {
    group: 'argoproj.io',
    kind: 'Application',
    reason:
      'Argo CD applies its source: the scenario places those objects (scenario/build.ts); Helm chart sources are the platform check',
  },
  {
    group: 'argoproj.io',
    kind: 'ApplicationSet',
    reason:
      'evaluated while building the scenario (scenario/applicationset.ts): its Applications are in the scenario',
  },
  { group: 'argoproj.io', kind: 'AppProject', reason: 'policy data for Argo CD; creates nothing' },
  {
    group: 'argoproj.io',
    kind: 'AnalysisTemplate',
    reason: 'AnalysisRuns are created during a rollout step, not at sync',
  },
  {
    group: 'postgresql.cnpg.io',
    kind: 'Backup',
    reason:
      'a plugin or barmanObjectStore backup runs inside the instance Pod; no API objects (volumeSnapshot backups are not used)',
  },
  {
    group: 'barmancloud.cnpg.io',
    kind: 'ObjectStore',
    reason: 'configuration the barman-cloud sidecar reads; the sidecar is part of the Cluster expansion',
  },
  {
    group: 'keda.sh',
    kind: 'TriggerAuthentication',
    reason: 'credentials reference for scalers; creates nothing',
  },
  {
    group: 'monitoring.coreos.com',
    kind: 'PodMonitor',
    reason: 'the Prometheus operator writes scrape configuration into its own namespace',
  },
  {
    group: 'monitoring.coreos.com',
    kind: 'ServiceMonitor',
    reason: 'the Prometheus operator writes scrape configuration into its own namespace',
  },
  {
    group: 'monitoring.coreos.com',
    kind: 'PrometheusRule',
    reason: 'the Prometheus operator writes rule files into its own namespace',
  },
  {
    group: 'policies.kyverno.io',
    kind: 'ValidatingPolicy',
    reason: 'Kyverno admission: the admission check evaluates it',
  },
  { group: 'policies.kyverno.io', kind: 'PolicyException', reason: 'a waiver the admission check reads' },
  {
    group: 'apiextensions.k8s.io',
    kind: 'CustomResourceDefinition',
    reason: 'registers an API; creates no objects',
  },
];
