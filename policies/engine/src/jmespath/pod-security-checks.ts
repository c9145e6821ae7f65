/**
 * The Pod Security Standards checks (Kubernetes pod-security-admission `policy` package, the
 * library Kyverno v1.19.0 pkg/pss/evaluate.go runs): each check reports its id, a forbidden
 * reason and field errors (path with indexes, bad value), which podSecurity exclusions match on.
 */
export interface FieldError {
  field: string;
  type: 'Forbidden' | 'Required';
  badValue: unknown;
}
export interface CheckResult {
  id: string;
  reason: string;
  errors: FieldError[];
}
interface Check {
  id: string;
  level: 'baseline' | 'restricted';
  /** Minimum Kubernetes minor version (1.x) the check applies from. */
  since?: number;
  run(pod: PodView, version: number): Omit<CheckResult, 'id'> | undefined;
}

type Obj = Record<string, unknown>;
export interface PodView {
  metadata: Obj;
  spec: Obj;
}
interface Container {
  kind: 'containers' | 'initContainers' | 'ephemeralContainers';
  index: number;
  c: Obj;
}

const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

export function containersOf(spec: Obj): Container[] {
  const out: Container[] = [];
  for (const kind of ['initContainers', 'containers', 'ephemeralContainers'] as const)
    for (const [index, c] of list(spec[kind]).entries()) out.push({ kind, index, c });
  return out;
}

const path = (x: Container, rest: string) => `spec.${x.kind}[${x.index}].${rest}`;
const sc = (x: Container) => obj(x.c.securityContext);
const forbidden = (field: string, badValue: unknown): FieldError => ({ field, type: 'Forbidden', badValue });
const required = (field: string): FieldError => ({ field, type: 'Required', badValue: '' });
const result = (reason: string, errors: FieldError[]) => (errors.length ? { reason, errors } : undefined);

const BASELINE_CAPS = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
const SAFE_SYSCTLS: [string, number][] = [
  ['kernel.shm_rmid_forced', 0],
  ['net.ipv4.ip_local_port_range', 0],
  ['net.ipv4.ip_unprivileged_port_start', 0],
  ['net.ipv4.tcp_syncookies', 0],
  ['net.ipv4.ping_group_range', 0],
  ['net.ipv4.ip_local_reserved_ports', 27],
  ['net.ipv4.tcp_keepalive_time', 29],
  ['net.ipv4.tcp_fin_timeout', 29],
  ['net.ipv4.tcp_keepalive_intvl', 29],
  ['net.ipv4.tcp_keepalive_probes', 29],
];
const SELINUX_TYPES = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
]);
const RESTRICTED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

export const CHECKS: Check[] = [
  {
    id: 'windowsHostProcess',
    level: 'baseline',
    run: ({ spec }) => {
      const errs: FieldError[] = [];
      if (obj(obj(spec.securityContext).windowsOptions).hostProcess === true)
        errs.push(forbidden('spec.securityContext.windowsOptions.hostProcess', true));
      for (const x of containersOf(spec))
        if (obj(sc(x).windowsOptions).hostProcess === true)
          errs.push(forbidden(path(x, 'securityContext.windowsOptions.hostProcess'), true));
      return result('hostProcess', errs);
    },
  },
  {
    id: 'hostNamespaces',
    level: 'baseline',
    run: ({ spec }) =>
      result(
        'host namespaces',
        (['hostNetwork', 'hostPID', 'hostIPC'] as const)
          .filter((k) => spec[k] === true)
          .map((k) => forbidden(`spec.${k}`, true)),
      ),
  },
  {
    id: 'privileged',
    level: 'baseline',
    run: ({ spec }) =>
      result(
        'privileged',
        containersOf(spec)
          .filter((x) => sc(x).privileged === true)
          .map((x) => forbidden(path(x, 'securityContext.privileged'), true)),
      ),
  },
  {
    id: 'capabilities_baseline',
    level: 'baseline',
    run: ({ spec }) =>
      result(
        'non-default capabilities',
        containersOf(spec).flatMap((x) => {
          const bad = list(obj(sc(x).capabilities).add)
            .map(String)
            .filter((c) => !BASELINE_CAPS.has(c));
          return bad.length ? [forbidden(path(x, 'securityContext.capabilities.add'), bad)] : [];
        }),
      ),
  },
  {
    id: 'hostPathVolumes',
    level: 'baseline',
    run: ({ spec }) =>
      result(
        'hostPath volumes',
        list(spec.volumes).flatMap((v, i) =>
          v.hostPath ? [forbidden(`spec.volumes[${i}].hostPath`, String(v.name ?? ''))] : [],
        ),
      ),
  },
  {
    id: 'hostPorts',
    level: 'baseline',
    run: ({ spec }) =>
      result(
        'hostPort',
        containersOf(spec).flatMap((x) =>
          list(x.c.ports).flatMap((p, i) =>
            typeof p.hostPort === 'number' && p.hostPort !== 0
              ? [forbidden(path(x, `ports[${i}].hostPort`), String(p.hostPort))]
              : [],
          ),
        ),
      ),
  },
  {
    id: 'appArmorProfile',
    level: 'baseline',
    run: ({ metadata, spec }) => {
      const errs: FieldError[] = [];
      for (const [k, v] of Object.entries(obj(metadata.annotations))) {
        if (!k.startsWith('container.apparmor.security.beta.kubernetes.io/')) continue;
        if (v !== 'runtime/default' && !String(v).startsWith('localhost/'))
          errs.push(forbidden(`metadata.annotations[${k}]`, v));
      }
      const bad = (p: unknown) =>
        obj(p).type !== undefined && !['RuntimeDefault', 'Localhost'].includes(String(obj(p).type));
      if (bad(obj(spec.securityContext).appArmorProfile))
        errs.push(
          forbidden(
            'spec.securityContext.appArmorProfile.type',
            obj(obj(spec.securityContext).appArmorProfile).type,
          ),
        );
      for (const x of containersOf(spec))
        if (bad(sc(x).appArmorProfile))
          errs.push(
            forbidden(path(x, 'securityContext.appArmorProfile.type'), obj(sc(x).appArmorProfile).type),
          );
      return result('forbidden AppArmor profile', errs);
    },
  },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    run: ({ spec }) => {
      const errs: FieldError[] = [];
      const check = (o: unknown, at: string) => {
        const s = obj(o);
        if (s.type !== undefined && !SELINUX_TYPES.has(String(s.type)))
          errs.push(forbidden(`${at}.type`, s.type));
        if (s.user) errs.push(forbidden(`${at}.user`, s.user));
        if (s.role) errs.push(forbidden(`${at}.role`, s.role));
      };
      check(obj(spec.securityContext).seLinuxOptions, 'spec.securityContext.seLinuxOptions');
      for (const x of containersOf(spec))
        check(sc(x).seLinuxOptions, path(x, 'securityContext.seLinuxOptions'));
      return result('seLinuxOptions', errs);
    },
  },
  {
    id: 'procMount',
    level: 'baseline',
    run: ({ spec }) =>
      result(
        'procMount',
        containersOf(spec)
          .filter((x) => sc(x).procMount !== undefined && sc(x).procMount !== 'Default')
          .map((x) => forbidden(path(x, 'securityContext.procMount'), sc(x).procMount)),
      ),
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    run: ({ spec }) => {
      const errs: FieldError[] = [];
      if (obj(obj(spec.securityContext).seccompProfile).type === 'Unconfined')
        errs.push(forbidden('spec.securityContext.seccompProfile.type', 'Unconfined'));
      for (const x of containersOf(spec))
        if (obj(sc(x).seccompProfile).type === 'Unconfined')
          errs.push(forbidden(path(x, 'securityContext.seccompProfile.type'), 'Unconfined'));
      return result('seccompProfile', errs);
    },
  },
  {
    id: 'sysctls',
    level: 'baseline',
    run: ({ spec }, version) => {
      const safe = new Set(SAFE_SYSCTLS.filter(([, since]) => version >= since).map(([n]) => n));
      return result(
        'forbidden sysctls',
        list(obj(spec.securityContext).sysctls).flatMap((s, i) =>
          safe.has(String(s.name))
            ? []
            : [forbidden(`spec.securityContext.sysctls[${i}].name`, String(s.name))],
        ),
      );
    },
  },
  {
    id: 'restrictedVolumes',
    level: 'restricted',
    run: ({ spec }) =>
      result(
        'restricted volume types',
        list(spec.volumes).flatMap((v, i) => {
          const type = Object.keys(v).find((k) => k !== 'name');
          return type && !RESTRICTED_VOLUMES.has(type)
            ? [forbidden(`spec.volumes[${i}].${type}`, String(v.name ?? ''))]
            : [];
        }),
      ),
  },
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    run: ({ spec }) =>
      result(
        'allowPrivilegeEscalation != false',
        containersOf(spec)
          .filter((x) => x.kind !== 'ephemeralContainers' || true)
          .flatMap((x) =>
            sc(x).allowPrivilegeEscalation === false
              ? []
              : sc(x).allowPrivilegeEscalation === undefined
                ? [required(path(x, 'securityContext.allowPrivilegeEscalation'))]
                : [forbidden(path(x, 'securityContext.allowPrivilegeEscalation'), true)],
          ),
      ),
  },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    run: ({ spec }) => {
      const errs: FieldError[] = [];
      const pod = obj(spec.securityContext).runAsNonRoot;
      if (pod === false) errs.push(forbidden('spec.securityContext.runAsNonRoot', false));
      for (const x of containersOf(spec)) {
        const own = sc(x).runAsNonRoot;
        if (own === false) errs.push(forbidden(path(x, 'securityContext.runAsNonRoot'), false));
        else if (own === undefined && pod !== true)
          errs.push(required(path(x, 'securityContext.runAsNonRoot')));
      }
      return result('runAsNonRoot != true', errs);
    },
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    since: 23,
    run: ({ spec }) => {
      const errs: FieldError[] = [];
      if (obj(spec.securityContext).runAsUser === 0)
        errs.push(forbidden('spec.securityContext.runAsUser', 0));
      for (const x of containersOf(spec))
        if (sc(x).runAsUser === 0) errs.push(forbidden(path(x, 'securityContext.runAsUser'), 0));
      return result('runAsUser=0', errs);
    },
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    run: ({ spec }) => {
      const errs: FieldError[] = [];
      const ok = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
      const pod = obj(obj(spec.securityContext).seccompProfile).type;
      if (pod !== undefined && !ok(pod))
        errs.push(forbidden('spec.securityContext.seccompProfile.type', pod));
      for (const x of containersOf(spec)) {
        const own = obj(sc(x).seccompProfile).type;
        if (own !== undefined && !ok(own))
          errs.push(forbidden(path(x, 'securityContext.seccompProfile.type'), own));
        else if (own === undefined && !ok(pod))
          errs.push(required(path(x, 'securityContext.seccompProfile.type')));
      }
      return result('seccompProfile', errs);
    },
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    since: 22,
    run: ({ spec }) =>
      result(
        'unrestricted capabilities',
        containersOf(spec)
          .filter((x) => x.kind !== 'ephemeralContainers')
          .flatMap((x) => {
            const caps = obj(sc(x).capabilities);
            const errs: FieldError[] = [];
            if (!list(caps.drop).map(String).includes('ALL'))
              errs.push(required(path(x, 'securityContext.capabilities.drop')));
            const bad = list(caps.add)
              .map(String)
              .filter((c) => c !== 'NET_BIND_SERVICE');
            if (bad.length) errs.push(forbidden(path(x, 'securityContext.capabilities.add'), bad));
            return errs;
          }),
      ),
  },
];
