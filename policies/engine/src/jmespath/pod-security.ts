import { wildcardMatch } from '../kube/wildcard.js';
import { goSprint } from './go-format.js';
import {
  CHECKS,
  type CheckResult,
  containersOf,
  type FieldError,
  type PodView,
} from './pod-security-checks.js';
import type { Response } from './validator.js';

/**
 * `validate.podSecurity` (kyverno v1.19.0 pkg/engine/handlers/validation/validate_pss.go and
 * pkg/pss/evaluate.go): the Pod Security Standards `level` (baseline | restricted) at `version`
 * (`latest` or `v1.N`) over the pod spec (of a Pod, or the template of a controller), minus the
 * `exclude` entries: a `controlName`, optionally limited to container `images`, a
 * `restrictedField` and its `values`. Field errors a matching exclusion also produces are removed;
 * a check with no errors left passes.
 */
export interface PodSecuritySpec {
  level: 'baseline' | 'restricted' | 'privileged';
  version?: string;
  exclude?: { controlName: string; images?: string[]; restrictedField?: string; values?: string[] }[];
}

const LATEST_MINOR = 34;

const CONTROL_IDS: Record<string, string[]> = {
  Capabilities: ['capabilities_baseline', 'capabilities_restricted'],
  Seccomp: ['seccompProfile_baseline', 'seccompProfile_restricted'],
  'Privileged Containers': ['privileged'],
  'Host Ports': ['hostPorts'],
  '/proc Mount Type': ['procMount'],
  HostProcess: ['windowsHostProcess'],
  SELinux: ['seLinuxOptions'],
  'Host Namespaces': ['hostNamespaces'],
  'HostPath Volumes': ['hostPathVolumes'],
  Sysctls: ['sysctls'],
  AppArmor: ['appArmorProfile'],
  'Volume Types': ['restrictedVolumes'],
  'Privilege Escalation': ['allowPrivilegeEscalation'],
  'Running as Non-root': ['runAsNonRoot'],
  'Running as Non-root user': ['runAsUser'],
};

export class PodSecurityError extends Error {}

export function parseMinor(version: string | undefined): number {
  if (!version || version === 'latest') return LATEST_MINOR;
  const m = /^v1\.(\d+)$/.exec(version);
  if (!m) throw new PodSecurityError(`failed to parse pod security api version: ${version}`);
  return Math.min(Number(m[1]), LATEST_MINOR);
}

function evaluate(level: PodSecuritySpec['level'], minor: number, pod: PodView): CheckResult[] {
  if (level === 'privileged') return [];
  const out: CheckResult[] = [];
  for (const check of CHECKS) {
    if (level === 'baseline' && check.level !== 'baseline') continue;
    if (check.since && minor < check.since) continue;
    const r = check.run(pod, minor);
    if (r) out.push({ id: check.id, ...r });
  }
  return out;
}

const wild = (field: string) => field.replace(/\d+/g, '*');

function badValues(e: FieldError): string[] {
  if (typeof e.badValue === 'string') return e.badValue === '' ? [] : [e.badValue];
  if (Array.isArray(e.badValue)) return e.badValue.map(String);
  if (typeof e.badValue === 'boolean' || typeof e.badValue === 'number') return [String(e.badValue)];
  return [];
}

function containerName(pod: PodView, field: string): string | undefined {
  const m = /^spec\.(containers|initContainers|ephemeralContainers)\[(\d+)\]/.exec(field);
  if (!m) return undefined;
  const list = pod.spec[m[1]!] as { name?: string }[] | undefined;
  return list?.[Number(m[2])]?.name;
}

function applyExclusions(
  level: PodSecuritySpec['level'],
  minor: number,
  exclude: NonNullable<PodSecuritySpec['exclude']>,
  results: CheckResult[],
  pod: PodView,
): CheckResult[] {
  let current = results.map((r) => ({ ...r, errors: [...r.errors] }));
  for (const ex of exclude) {
    const containerLevel = !!ex.images?.length;
    let probe: PodView;
    if (!containerLevel) {
      probe = { metadata: pod.metadata, spec: { ...pod.spec, containers: [{ name: 'fake' }] } };
      delete probe.spec.initContainers;
      delete probe.spec.ephemeralContainers;
    } else {
      const pick = (kind: string) =>
        ((pod.spec[kind] as { image?: string }[] | undefined) ?? []).filter((c) =>
          ex.images!.some((p) => wildcardMatch(p, String(c.image ?? ''))),
        );
      probe = {
        metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace },
        spec: {
          containers: pick('containers'),
          initContainers: pick('initContainers'),
          ephemeralContainers: pick('ephemeralContainers'),
        },
      };
    }
    const ids = CONTROL_IDS[ex.controlName] ?? [];
    for (const probeResult of evaluate(level, minor, probe)) {
      if (!ids.includes(probeResult.id)) continue;
      for (const pe of probeResult.errors) {
        const field = wild(pe.field);
        if (ex.restrictedField && field !== ex.restrictedField) continue;
        if (ex.values?.length && !badValues(pe).every((v) => ex.values!.some((p) => wildcardMatch(p, v))))
          continue;
        const target = current.find((r) => r.id === probeResult.id);
        if (!target) continue;
        const probeName = containerLevel ? containerName(probe, pe.field) : undefined;
        const idx = target.errors.findIndex(
          (de) =>
            wild(de.field) === field &&
            (probeName === undefined || containerName(pod, de.field) === probeName),
        );
        if (idx >= 0) target.errors.splice(idx, 1);
        if (target.errors.length === 0) current = current.filter((r) => r !== target);
      }
    }
  }
  return current;
}

function formatChecks(results: CheckResult[]): string {
  return results
    .map(
      (r) =>
        `(Forbidden reason: ${r.reason}, field error list: [${r.errors
          .map((e) =>
            e.type === 'Forbidden' && badValues(e).length
              ? `${e.field} is forbidden, forbidden values found: ${goSprint(e.badValue)}`
              : `${e.field}: ${e.type === 'Required' ? 'Required value' : 'Forbidden'}`,
          )
          .join(', ')}])`,
    )
    .join('');
}

/** The pod spec and metadata Kyverno's getSpec reads for Pods, CronJobs and other controllers. */
export function podViewOf(resource: Record<string, unknown>): PodView {
  const spec = (resource.spec ?? {}) as Record<string, unknown>;
  if (resource.kind === 'Pod')
    return { metadata: (resource.metadata ?? {}) as Record<string, unknown>, spec };
  const template =
    resource.kind === 'CronJob'
      ? ((spec.jobTemplate as { spec?: { template?: unknown } } | undefined)?.spec?.template ?? {})
      : (spec.template ?? {});
  const t = template as { metadata?: Record<string, unknown>; spec?: Record<string, unknown> };
  return { metadata: t.metadata ?? {}, spec: t.spec ?? {} };
}

export function validatePodSecurity(ruleName: string, spec: PodSecuritySpec, resource: unknown): Response {
  let minor: number;
  try {
    minor = parseMinor(spec.version);
  } catch (err) {
    return {
      status: 'error',
      message: `failed to parse pod security api version: ${(err as Error).message}`,
    };
  }
  const pod = podViewOf((resource ?? {}) as Record<string, unknown>);
  let results = evaluate(spec.level, minor, pod);
  if (spec.exclude?.length) results = applyExclusions(spec.level, minor, spec.exclude, results, pod);
  if (results.length === 0) return { status: 'pass', message: `Validation rule '${ruleName}' passed.` };
  return {
    status: 'fail',
    message: `Validation rule '${ruleName}' failed. It violates PodSecurity "${spec.level}:${spec.version ?? ''}": ${formatChecks(results)}`,
  };
}

export { containersOf };
