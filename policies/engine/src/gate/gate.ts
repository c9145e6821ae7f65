import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildEnvironment } from '../evaluate/environment.js';
import { EvaluationInputError, evaluateObjects } from '../evaluate/evaluate.js';
import { type CompiledException, exceptionProblems, isExpired } from '../evaluate/exceptions.js';
import type { RuleResult } from '../evaluate/types.js';
import { type KubeObject, normalizeObject, objectRef } from '../kube/objects.js';
import { ResourceMap } from '../kube/resource-map.js';
import { addPolicyDocument, emptyPolicySet, loadPolicyFiles, type PolicySet } from '../policy/policy-set.js';
import type {
  EnvironmentReport,
  GateEnvironment,
  GateFinding,
  GateReport,
  RenderedObject,
  Severity,
} from './types.js';

export interface GateOptions {
  /** The repository's policies/ folder (each `<name>/policy.yaml`, plus `exceptions/*.yaml`). */
  policiesDir: string;
  /** The clock exceptions expire against (tests pin it). */
  now?: Date;
  /** Already-loaded policies (benchmarks reuse one set). */
  policySet?: PolicySet;
  /**
   * Which objects to evaluate (default: all). The others still form the world lookups and
   * namespace selectors see: the rehearsal admits objects shared by several scenarios once.
   */
  evaluate?: (object: RenderedObject) => boolean;
  /**
   * What a run derives from one entry alone, kept for runs over the very same entries: the
   * rehearsal passes each object shared by its scenarios as one entry to every scenario's run,
   * which then normalises it and compiles it (a PolicyException) once. The caller owns it and
   * keeps it no longer than its own run: nothing here is keyed on content.
   */
  memo?: GateMemo;
}

/** A Map, or a WeakMap when the caller cannot tell when its entries go. */
interface Memo<V> {
  get(entry: RenderedObject): V | undefined;
  set(entry: RenderedObject, value: V): unknown;
}

/** Per-entry results a caller may keep across runGate calls over the same entries (GateOptions.memo). */
export interface GateMemo {
  normalized: Memo<KubeObject>;
  exceptions: Memo<CompiledException | null>;
}

export const gateMemo = (): GateMemo => ({ normalized: new Map(), exceptions: new Map() });

/** Loads `policies/<name>/policy.yaml` and `policies/exceptions/*.yaml`, compiling each expression once. */
export function loadRepositoryPolicies(policiesDir: string): PolicySet {
  const files: string[] = [];
  for (const entry of readdirSync(policiesDir).sort()) {
    const policy = join(policiesDir, entry, 'policy.yaml');
    if (existsSync(policy)) files.push(policy);
  }
  const exceptionsDir = join(policiesDir, 'exceptions');
  if (existsSync(exceptionsDir)) {
    for (const f of readdirSync(exceptionsDir).sort())
      if (/\.ya?ml$/.test(f)) files.push(join(exceptionsDir, f));
  }
  return loadPolicyFiles(files);
}

/**
 * Every policy against every rendered object of every environment
 * (docs/design/policy-gate.md §What the gate does). Deny failures fail the gate (exit 1);
 * Audit/Warn failures are reported. Evaluation errors under failurePolicy Fail, unmappable kinds
 * and invalid policies fail closed (exit 2). PolicyExceptions are the only waiver and must carry an
 * owner, a reason and an expiry date; an expired exception no longer applies and the report says
 * so.
 */
export function runGate(environments: readonly GateEnvironment[], options: GateOptions): GateReport {
  const set = options.policySet ?? loadRepositoryPolicies(options.policiesDir);
  const now = options.now ?? new Date();
  const reports: EnvironmentReport[] = [];
  const notes: string[] = [];
  let fatal = false;

  for (const env of environments) {
    const resources = new ResourceMap();
    const files = new Map<KubeObject, string>();
    const memo = options.memo;
    const objects = env.objects.map((entry) => {
      // Normalising reads only the object and the built-in kinds (CRDs join the map later, in
      // buildEnvironment), so an entry normalised by an earlier run gives the same object.
      let normalized = memo?.normalized.get(entry);
      if (!normalized) {
        normalized = normalizeObject(entry.object, resources);
        memo?.normalized.set(entry, normalized);
      }
      files.set(normalized, entry.path);
      return normalized;
    });
    const findings: GateFinding[] = [];
    const exceptions = usableExceptions(env, set, now, findings, notes, memo);
    const world = buildEnvironment(objects, { resources, objectsAreCluster: true });
    let results: RuleResult[] = [];
    try {
      const targets = options.evaluate
        ? objects.filter((_, i) => options.evaluate!(env.objects[i]!))
        : objects;
      results = evaluateObjects(set, targets, world, { exceptions, unknownKinds: 'error' });
    } catch (err) {
      if (!(err instanceof EvaluationInputError)) throw err;
      fatal = true;
      findings.push({
        environment: env.name,
        severity: 'error',
        policy: '-',
        rule: '',
        resource: '-',
        file: '-',
        status: 'error',
        actions: [],
        message: err.message,
      });
    }
    let passed = 0;
    for (const r of results) {
      if (r.status === 'pass' && !r.exception) {
        passed++;
        continue;
      }
      const severity = classify(r);
      if (!severity) {
        passed++;
        continue;
      }
      findings.push({
        environment: env.name,
        severity,
        policy: r.policy,
        rule: r.rule,
        resource: objectRef(r.resource),
        file: files.get(r.resource) ?? '-',
        status: r.status,
        actions: r.actions,
        message: r.message ?? '',
        ...(r.path ? { path: r.path } : {}),
        ...(r.expression ? { expression: r.expression } : {}),
        ...(r.exception ? { exception: r.exception } : {}),
      });
    }
    reports.push({ name: env.name, objects: objects.length, evaluations: results.length, passed, findings });
  }

  const all = reports.flatMap((r) => r.findings);
  const denials = all.filter((f) => f.severity === 'deny' || f.severity === 'exception').length;
  const errors = all.filter((f) => f.severity === 'error').length;
  const exitCode = fatal || errors > 0 ? 2 : denials > 0 ? 1 : 0;
  return {
    environments: reports,
    notes,
    policies: set.policies.length,
    denials,
    errors,
    exitCode,
    passed: exitCode === 0,
  };
}

const DAY = 24 * 60 * 60 * 1000;
/** Waivers about to lapse are announced this many days ahead, so an expiry never surprises a release. */
const EXPIRY_WARNING_DAYS = 14;

function classify(r: RuleResult): Severity | undefined {
  if (r.exception) return 'waived';
  if (r.status === 'skip') return undefined;
  if (r.status === 'error') return r.failurePolicy === 'Ignore' ? 'ignored' : 'error';
  if (r.status !== 'fail') return undefined;
  if (r.actions.includes('Deny')) return 'deny';
  return r.actions.includes('Warn') ? 'warn' : 'audit';
}

/**
 * Exceptions from policies/exceptions/ plus PolicyException objects rendered into this
 * environment. One without owner, reason or a valid expiry is itself a gate failure and waives
 * nothing; an expired one waives nothing and is reported.
 */
function usableExceptions(
  env: GateEnvironment,
  set: PolicySet,
  now: Date,
  findings: GateFinding[],
  notes: string[],
  memo?: GateMemo,
): CompiledException[] {
  const local = emptyPolicySet();
  const sources = new Map<CompiledException, string>();
  for (const entry of env.objects) {
    const { path, object } = entry;
    if (object.kind !== 'PolicyException') continue;
    const known = memo?.exceptions.get(entry);
    if (known !== undefined) {
      if (known) {
        local.exceptions.push(known);
        sources.set(known, path);
      }
      continue;
    }
    const added = addPolicyDocument(local, object, path);
    if (added) sources.set(local.exceptions.at(-1)!, path);
    memo?.exceptions.set(entry, added ? local.exceptions.at(-1)! : null);
  }
  const usable: CompiledException[] = [];
  for (const e of [...set.exceptions, ...local.exceptions]) {
    const file = sources.get(e) ?? e.source ?? '-';
    const known = new Set(set.policies.map((p) => p.name));
    const problems = [
      ...exceptionProblems(e),
      ...e.policyRefs.filter((r) => !known.has(r.name)).map((r) => `refers to unknown policy ${r.name}`),
    ];
    if (problems.length) {
      findings.push({
        environment: env.name,
        severity: 'exception',
        policy: e.policyRefs.map((p) => p.name).join(','),
        rule: '',
        resource: `PolicyException/${e.ref}`,
        file,
        status: 'invalid',
        actions: ['Deny'],
        message: `PolicyException ${e.ref} is not a valid waiver: ${problems.join('; ')}`,
      });
      continue;
    }
    if (isExpired(e, now)) {
      const note = `PolicyException ${e.ref} (owner ${e.owner}) expired on ${e.expiresText}: it no longer waives ${e.policyRefs.map((p) => p.name).join(', ')}`;
      if (!notes.includes(note)) notes.push(note);
      continue;
    }
    const daysLeft = Math.floor((e.expires!.getTime() - now.getTime()) / DAY);
    if (daysLeft < EXPIRY_WARNING_DAYS) {
      const note = `PolicyException ${e.ref} (owner ${e.owner}) expires on ${e.expiresText} (${daysLeft} days left): fix the cause or renew it with a reason`;
      if (!notes.includes(note)) notes.push(note);
    }
    usable.push(e);
  }
  return usable;
}
