import type { K8sObject } from '../../model.js';
import { clone, controllerRef, type Labels, rec, spec } from '../meta.js';
import { type ExpandContext, ExpansionError, type ExpansionRule } from '../types.js';
import { inherit } from './inherited.js';
import { CNPG_DEFAULT_POSTGRES_IMAGE, type OperatorConfig, operatorConfig } from './operator-config.js';

const RULE =
  'cloudnative-pg v1.30.0 pkg/specs/pods.go buildInstance, pkg/specs/jobs.go CreatePrimaryJob, pkg/specs/containers.go createBootstrapContainer, pkg/specs/services.go, pkg/specs/poddisruptionbudget.go, pkg/specs/secrets.go CreateSecret, internal/controller/cluster_create.go; plugin-barman-cloud v0.13.0 internal/cnpgi/operator/lifecycle.go reconcilePodSpec';

/**
 * CloudNativePG Cluster → what the operator creates for it, with the labels it sets
 * (`cnpg.io/cluster`, `cnpg.io/instanceName`, `cnpg.io/podRole`, `cnpg.io/jobRole`,
 * `cnpg.io/instanceRole`, the app.kubernetes.io set) and the inherited metadata:
 *  - Jobs `<name>-1-initdb` (bootstrap.initdb) and `<name>-<n>-join` for every further instance;
 *  - instance Pods `<name>-<n>`: init container `bootstrap-controller` (the operator image),
 *    container `postgres` (`imageName`, or the operator's default), both with
 *    `spec.resources`; instance 1 is the first primary (`cnpg.io/instanceRole: primary`);
 *    with the barman-cloud plugin as WAL archiver, its sidecar `plugin-barman-cloud` (an init
 *    container with restartPolicy Always, resources from the ObjectStore's
 *    `instanceSidecarConfiguration.resources`);
 *  - Services `<name>-rw`, `<name>-ro`, `<name>-r` (unless disabled), `<name>-any` when the
 *    operator's CREATE_ANY_SERVICE is set;
 *  - Secrets `<name>-app` (initdb without a secret) and `<name>-superuser` (enableSuperuserAccess);
 *  - PodDisruptionBudgets `<name>-primary` and, with 3 or more instances, `<name>`;
 *  - ServiceAccount, Role and RoleBinding `<name>`; PVCs `<name>-<n>` (and `-wal`).
 * The TLS certificate Secrets (`-ca`, `-server`, `-replication`) are not modelled.
 */
export const clusterRule: ExpansionRule = {
  kind: 'Cluster',
  group: 'postgresql.cnpg.io',
  controller: 'cloudnative-pg',
  rule: RULE,
  expand(cluster, ctx) {
    const s = spec(cluster);
    if (s.imageCatalogRef)
      throw new ExpansionError('spec.imageCatalogRef is not evaluated: set spec.imageName');
    const bootstrap = rec(s.bootstrap);
    if (bootstrap.recovery || bootstrap.pg_basebackup)
      throw new ExpansionError('only bootstrap.initdb is evaluated (recovery and pg_basebackup are not)');
    const config = operatorConfig(ctx);
    const name = cluster.metadata.name;
    const ns = cluster.metadata.namespace;
    const instances = typeof s.instances === 'number' ? s.instances : 1;
    const image = typeof s.imageName === 'string' ? s.imageName : CNPG_DEFAULT_POSTGRES_IMAGE;
    const major = /:(\d+)/.exec(image.split('@')[0]!)?.[1] ?? '';
    const fixed: Labels = {
      'cnpg.io/cluster': name,
      'app.kubernetes.io/name': 'postgresql',
      'app.kubernetes.io/instance': name,
      'app.kubernetes.io/version': major,
      'app.kubernetes.io/component': 'database',
      'app.kubernetes.io/managed-by': 'cloudnative-pg',
    };
    const make = (
      kind: string,
      apiVersion: string,
      objName: string,
      own: Labels,
      body: Record<string, unknown>,
    ) => {
      const { labels, annotations } = inherit(cluster, config, { labels: own });
      return {
        apiVersion,
        kind,
        metadata: {
          name: objName,
          ...(ns ? { namespace: ns } : {}),
          labels,
          annotations,
          ownerReferences: [controllerRef(cluster)],
        },
        ...body,
      } as K8sObject;
    };
    const out: K8sObject[] = [];
    const sa = s.serviceAccountName ? String(s.serviceAccountName) : name;
    out.push(make('ServiceAccount', 'v1', sa, {}, {}));
    out.push(make('Role', 'rbac.authorization.k8s.io/v1', name, {}, { rules: [] }));
    out.push(
      make(
        'RoleBinding',
        'rbac.authorization.k8s.io/v1',
        name,
        {},
        {
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
          subjects: [{ kind: 'ServiceAccount', name: sa, ...(ns ? { namespace: ns } : {}) }],
        },
      ),
    );
    out.push(...secrets(cluster, make));
    out.push(...services(cluster, config, fixed, make));
    out.push(...pdbs(cluster, instances, fixed, make));
    const sidecar = barmanSidecar(cluster, config, ctx);
    for (let n = 1; n <= instances; n++) {
      const instance = `${name}-${n}`;
      const role = n === 1 ? 'initdb' : 'join';
      if (n === 1 && !bootstrap.initdb && Object.keys(bootstrap).length)
        throw new ExpansionError(`unsupported bootstrap method ${Object.keys(bootstrap).join(', ')}`);
      const jobLabels: Labels = { ...fixed, 'cnpg.io/instanceName': instance, 'cnpg.io/jobRole': role };
      const inheritedJob = inherit(cluster, config, { labels: jobLabels });
      const job = make('Job', 'batch/v1', `${instance}-${role}`, jobLabels, {
        spec: {
          template: {
            metadata: { labels: inheritedJob.labels, annotations: inheritedJob.annotations },
            spec: podSpec(cluster, config, image, role, sa),
          },
        },
      });
      out.push(job);
      const podLabels: Labels = {
        ...fixed,
        'cnpg.io/instanceName': instance,
        'cnpg.io/podRole': 'instance',
        // pkg/reconciler/instance/metadata.go: the first instance is the primary; SetInstanceRole
        // writes both the current and the deprecated label.
        'cnpg.io/instanceRole': n === 1 ? 'primary' : 'replica',
        role: n === 1 ? 'primary' : 'replica',
      };
      const pod = make('Pod', 'v1', instance, podLabels, {
        spec: podSpec(cluster, config, image, 'postgres', sa),
      });
      pod.metadata.annotations = { ...pod.metadata.annotations, 'cnpg.io/nodeSerial': String(n) };
      if (sidecar) (rec(pod.spec).initContainers as unknown[]).push(sidecar);
      out.push(pod);
      out.push(pvc(cluster, instance, instance, 'PG_DATA', rec(s.storage), make));
      if (s.walStorage)
        out.push(pvc(cluster, instance, `${instance}-wal`, 'PG_WAL', rec(s.walStorage), make));
    }
    return out;
  },
};

type Make = (
  kind: string,
  apiVersion: string,
  name: string,
  own: Labels,
  body: Record<string, unknown>,
) => K8sObject;

function podSpec(
  cluster: K8sObject,
  config: OperatorConfig,
  image: string,
  container: string,
  serviceAccountName: string,
): Record<string, unknown> {
  const s = spec(cluster);
  const resources = clone(rec(s.resources));
  const securityContext = containerSecurityContext(cluster);
  // pkg/specs/pods.go createPostgresContainers: startup, readiness and liveness probes on the
  // instance manager's status port (8000: /startupz, /readyz, /healthz), every 10 s.
  const probe = (path: string) => ({ httpGet: { path, port: 8000 }, periodSeconds: 10, timeoutSeconds: 5 });
  return {
    serviceAccountName,
    ...(container === 'postgres' ? {} : { restartPolicy: 'Never' }),
    securityContext: podSecurityContext(cluster),
    initContainers: [
      {
        name: 'bootstrap-controller',
        image: config.operatorImage,
        resources,
        securityContext: clone(securityContext),
      },
    ],
    containers: [
      {
        name: container,
        image,
        resources: clone(resources),
        securityContext: clone(securityContext),
        ...(container === 'postgres'
          ? {
              startupProbe: probe('/startupz'),
              readinessProbe: probe('/readyz'),
              livenessProbe: probe('/healthz'),
              ports: [
                { name: 'postgresql', containerPort: 5432, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9187, protocol: 'TCP' },
                { name: 'status', containerPort: 8000, protocol: 'TCP' },
              ],
            }
          : {}),
      },
    ],
  };
}

/** pkg/specs/pods.go GetPodSecurityContext: uid/gid 26 (postgresUID/GID defaults), non-root, RuntimeDefault seccomp. */
function podSecurityContext(cluster: K8sObject): Record<string, unknown> {
  const s = spec(cluster);
  const uid = typeof s.postgresUID === 'number' ? s.postgresUID : 26;
  const gid = typeof s.postgresGID === 'number' ? s.postgresGID : 26;
  const seccompProfile = rec(s.seccompProfile).type ? clone(s.seccompProfile) : { type: 'RuntimeDefault' };
  const given = rec(s.podSecurityContext);
  return {
    runAsUser: uid,
    runAsGroup: gid,
    runAsNonRoot: true,
    fsGroup: gid,
    seccompProfile,
    ...clone(given),
  };
}

/** pkg/specs/containers.go GetSecurityContext: drop ALL, not privileged, non-root, read-only root, no escalation. */
function containerSecurityContext(cluster: K8sObject): Record<string, unknown> {
  const s = spec(cluster);
  return {
    seccompProfile: rec(s.seccompProfile).type ? clone(s.seccompProfile) : { type: 'RuntimeDefault' },
    capabilities: { drop: ['ALL'] },
    privileged: false,
    runAsNonRoot: true,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    ...clone(rec(s.securityContext)),
  };
}

/** plugin-barman-cloud: the sidecar joins instance Pods when the plugin is the WAL archiver with an ObjectStore. */
function barmanSidecar(
  cluster: K8sObject,
  config: OperatorConfig,
  ctx: ExpandContext,
): Record<string, unknown> | undefined {
  const plugin = ((spec(cluster).plugins as unknown[]) ?? [])
    .map(rec)
    .find((p) => p.name === 'barman-cloud.cloudnative-pg.io');
  const store = rec(plugin?.parameters).barmanObjectName;
  if (!plugin || typeof store !== 'string') return undefined;
  const objectStore = ctx.find('ObjectStore', cluster.metadata.namespace, store);
  if (!objectStore)
    throw new ExpansionError(
      `plugin barman-cloud.cloudnative-pg.io names ObjectStore ${store}, which is not in the scenario`,
    );
  const resources = clone(rec(rec(spec(objectStore).instanceSidecarConfiguration).resources));
  // lifecycle.go reconcilePodSpec: a fixed restricted security context and an exec startup probe.
  return {
    name: 'plugin-barman-cloud',
    image: config.barmanSidecarImage,
    restartPolicy: 'Always',
    args: ['instance'],
    resources,
    startupProbe: {
      exec: { command: ['/manager', 'healthcheck', 'unix'] },
      periodSeconds: 1,
      failureThreshold: 30,
      timeoutSeconds: 5,
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      privileged: false,
      readOnlyRootFilesystem: true,
      seccompProfile: { type: 'RuntimeDefault' },
      capabilities: { drop: ['ALL'] },
    },
  };
}

function secrets(cluster: K8sObject, make: Make): K8sObject[] {
  const s = spec(cluster);
  const name = cluster.metadata.name;
  const initdb = rec(rec(s.bootstrap).initdb);
  const out: K8sObject[] = [];
  const keys = [
    'username',
    'user',
    'password',
    'dbname',
    'host',
    'port',
    'pgpass',
    'uri',
    'jdbc-uri',
    'fqdn-uri',
    'fqdn-jdbc-uri',
  ];
  // The values are generated in the cluster; the rehearsal records which keys exist.
  const data = Object.fromEntries(keys.map((k) => [k, '']));
  const secret = (objName: string, userType: string) =>
    make(
      'Secret',
      'v1',
      objName,
      {
        'cnpg.io/userType': userType,
        'cnpg.io/reload': 'true',
        'app.kubernetes.io/managed-by': 'cloudnative-pg',
      },
      {
        type: 'kubernetes.io/basic-auth',
        data,
      },
    );
  if (!rec(initdb.secret).name && (Object.keys(initdb).length || !s.bootstrap))
    out.push(secret(`${name}-app`, 'app'));
  if (s.enableSuperuserAccess === true && !rec(s.superuserSecret).name)
    out.push(secret(`${name}-superuser`, 'superuser'));
  return out;
}

function services(cluster: K8sObject, config: OperatorConfig, fixed: Labels, make: Make): K8sObject[] {
  const name = cluster.metadata.name;
  const disabled =
    (rec(rec(spec(cluster).managed).services).disabledDefaultServices as string[] | undefined) ?? [];
  const ports = [{ name: 'postgres', port: 5432, protocol: 'TCP', targetPort: 5432 }];
  const svc = (suffix: string, selector: Labels) =>
    make('Service', 'v1', `${name}-${suffix}`, fixed, { spec: { type: 'ClusterIP', ports, selector } });
  const out: K8sObject[] = [];
  if (config.createAnyService)
    out.push(svc('any', { 'cnpg.io/cluster': name, 'cnpg.io/podRole': 'instance' }));
  if (!disabled.includes('r')) out.push(svc('r', { 'cnpg.io/cluster': name, 'cnpg.io/podRole': 'instance' }));
  if (!disabled.includes('ro'))
    out.push(svc('ro', { 'cnpg.io/cluster': name, 'cnpg.io/instanceRole': 'replica' }));
  out.push(svc('rw', { 'cnpg.io/cluster': name, 'cnpg.io/instanceRole': 'primary' }));
  return out;
}

function pdbs(cluster: K8sObject, instances: number, fixed: Labels, make: Make): K8sObject[] {
  if (spec(cluster).enablePDB === false) return [];
  const name = cluster.metadata.name;
  const { 'cnpg.io/cluster': _c, ...labels } = fixed;
  const pdb = (objName: string, role: string, minAvailable: number) =>
    make('PodDisruptionBudget', 'policy/v1', objName, labels, {
      spec: {
        minAvailable,
        selector: { matchLabels: { 'cnpg.io/cluster': name, 'cnpg.io/instanceRole': role } },
      },
    });
  const out = [pdb(`${name}-primary`, 'primary', 1)];
  if (instances >= 3) out.unshift(pdb(name, 'replica', instances - 2));
  return out;
}

function pvc(
  cluster: K8sObject,
  instance: string,
  objName: string,
  role: string,
  storage: Record<string, unknown>,
  make: Make,
): K8sObject {
  return make(
    'PersistentVolumeClaim',
    'v1',
    objName,
    { 'cnpg.io/cluster': cluster.metadata.name, 'cnpg.io/instanceName': instance, 'cnpg.io/pvcRole': role },
    {
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: storage.size ?? '' } },
        ...(storage.storageClass ? { storageClassName: storage.storageClass } : {}),
      },
    },
  );
}
