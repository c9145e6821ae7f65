import { describe, expect, it } from 'vitest';
import { parseMinor, validatePodSecurity } from './pod-security.js';

const everything = {
  kind: 'Pod',
  metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' } },
  spec: {
    hostPID: true,
    securityContext: {
      windowsOptions: { hostProcess: true },
      seLinuxOptions: { type: 'spc_t', user: 'root' },
      seccompProfile: { type: 'Unconfined' },
      sysctls: [
        { name: 'kernel.msgmax', value: '1' },
        { name: 'net.ipv4.tcp_keepalive_time', value: '1' },
      ],
      runAsUser: 0,
      appArmorProfile: { type: 'Unconfined' },
    },
    volumes: [
      { name: 'h', hostPath: { path: '/' } },
      { name: 'n', nfs: { server: 'x' } },
    ],
    containers: [
      {
        name: 'c',
        image: 'x',
        ports: [{ containerPort: 80, hostPort: 80 }],
        securityContext: { procMount: 'Unmasked', allowPrivilegeEscalation: true, runAsNonRoot: false },
      },
    ],
  },
};

const reasons = (message: string) => [...message.matchAll(/Forbidden reason: ([^,]+),/g)].map((m) => m[1]);

describe('podSecurity (Pod Security Standards through kyverno pkg/pss)', () => {
  it('reports every baseline control a pod breaks', () => {
    const r = validatePodSecurity('r', { level: 'baseline', version: 'latest' }, everything);
    expect(r.status).toBe('fail');
    expect(reasons(r.message)).toEqual([
      'hostProcess',
      'host namespaces',
      'hostPath volumes',
      'hostPort',
      'forbidden AppArmor profile',
      'seLinuxOptions',
      'procMount',
      'seccompProfile',
      'forbidden sysctls',
    ]);
    expect(r.message).toContain(
      'spec.securityContext.sysctls[0].name is forbidden, forbidden values found: kernel.msgmax',
    );
  });
  it('adds the restricted controls, gated by version', () => {
    const latest = reasons(
      validatePodSecurity('r', { level: 'restricted', version: 'latest' }, everything).message,
    );
    expect(latest).toEqual(
      expect.arrayContaining([
        'restricted volume types',
        'allowPrivilegeEscalation != false',
        'runAsNonRoot != true',
        'runAsUser=0',
      ]),
    );
    const old = reasons(
      validatePodSecurity('r', { level: 'restricted', version: 'v1.22' }, everything).message,
    );
    expect(old).not.toContain('runAsUser=0');
    // net.ipv4.tcp_keepalive_time is only safe from v1.29.
    expect(validatePodSecurity('r', { level: 'baseline', version: 'v1.28' }, everything).message).toContain(
      'net.ipv4.tcp_keepalive_time',
    );
  });
  it('privileged allows everything; a bad version is an error', () => {
    expect(validatePodSecurity('r', { level: 'privileged' }, everything).status).toBe('pass');
    expect(() => parseMinor('1.30')).toThrow('failed to parse pod security api version: 1.30');
    expect(validatePodSecurity('r', { level: 'baseline', version: 'x' }, everything).status).toBe('error');
  });
  it('judges the pod template of controllers', () => {
    const cron = {
      kind: 'CronJob',
      spec: { jobTemplate: { spec: { template: { spec: { hostIPC: true, containers: [] } } } } },
    };
    expect(validatePodSecurity('r', { level: 'baseline' }, cron).message).toContain('spec.hostIPC');
  });
});
