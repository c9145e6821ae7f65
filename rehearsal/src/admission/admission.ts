import {
  addPolicyDocument,
  emptyPolicySet,
  type GateFinding,
  type GateMemo,
  gateMemo,
  loadRepositoryPolicies,
  POLICIES_DIR,
  type PolicySet,
  type RenderedObject,
  runGate,
} from '@payday/policy-engine';
import type { ClusterObject, Finding, RehearsalCheck, RehearsalRun, Scenario } from '../model.js';

export interface AdmissionOptions {
  /**
   * Where the policies come from when a scenario holds none (hand-built scenarios): the
   * repository's policies/ folder (default: the one beside @payday/policy-engine).
   */
  policiesDir?: string;
  /** The clock PolicyExceptions expire against (tests pin it). */
  now?: Date;
}

/** The file column of an object in the gate: its rendered file, or the controller that created it. */
export function describeOrigin(o: ClusterObject): string {
  return o.origin.kind === 'rendered'
    ? `gitops/${o.origin.path}`
    : `created by ${o.origin.controller} from ${o.origin.parent}`;
}

/** Kinds Kyverno enforces in the cluster: the scenario's own policies are the admission policies. */
const POLICY_KINDS = new Set(['ValidatingPolicy', 'PolicyException']);

/**
 * Admission over the rehearsed cluster (docs/rehearsal.md, "Admission over the expanded
 * cluster"): the policy gate of `npm run gate` (policies/engine) evaluates the policies the
 * cluster enforces (the scenario's ValidatingPolicies, as rendered into gitops/platform/policies
 * with their admission actions and scope) against every object of the scenario, rendered and
 * expanded alike, as Kyverno's admission webhook would when Argo CD or a controller creates it. Namespace selectors resolve against the scenario's
 * Namespaces (rendered, or created by Argo CD for a preview). A Deny failure, an invalid
 * PolicyException and a fail-closed evaluation error are error findings; Audit/Warn failures
 * are warnings; waived results are not findings.
 */
export function admissionCheck(options: AdmissionOptions = {}): RehearsalCheck {
  const policiesDir = options.policiesDir ?? POLICIES_DIR;
  let repository: PolicySet | undefined;
  // Every scenario carries the same rendered policies: compile each distinct set once.
  const compiled = new Map<string, PolicySet>();
  // By the first policy object: each rehearsal builds new ClusterObjects, so an entry lives as
  // long as the rehearsal's scenarios do.
  const sameDocs = new WeakMap<ClusterObject, { docs: ClusterObject[]; set: PolicySet }>();
  const policiesOf = (scenario: Scenario): PolicySet => {
    const docs = scenario.objects.filter(
      (o) => POLICY_KINDS.has(o.object.kind) && o.origin.kind === 'rendered',
    );
    if (!docs.length) {
      repository ??= loadRepositoryPolicies(policiesDir);
      return repository;
    }
    // Scenarios share the policy objects themselves: matching them by identity first spares
    // serialising every policy for every scenario.
    const same = sameDocs.get(docs[0]!);
    if (same && same.docs.length === docs.length && same.docs.every((d, i) => d === docs[i])) return same.set;
    const key = JSON.stringify(docs.map((d) => d.object));
    let set = compiled.get(key);
    if (!set) {
      set = emptyPolicySet();
      for (const d of docs) addPolicyDocument(set, d.object, describeOrigin(d));
      compiled.set(key, set);
    }
    sameDocs.set(docs[0]!, { docs, set });
    return set;
  };
  // Scenarios of one rehearsal share the very same ClusterObjects for gitops/argocd and
  // gitops/platform (scenario/build.ts): each is admitted once, in the first scenario that holds
  // it, and stays in every scenario's world for lookups and namespace selectors. Each is also one
  // gate entry in every scenario, so the gate normalises it (and compiles a PolicyException) once
  // per rehearsal. Within a rehearse() call that state lives in plain Maps dropped with the call;
  // a caller running the check alone gets weak ones kept by the check.
  const perRun = new WeakMap<RehearsalRun, Admitted>();
  const alone: Admitted = {
    admitted: new WeakSet(),
    entries: new WeakMap(),
    memo: { normalized: new WeakMap(), exceptions: new WeakMap() },
  };
  return {
    name: 'admission',
    run(scenario: Scenario, rehearsal?: RehearsalRun): Finding[] {
      const policySet = policiesOf(scenario);
      let state = alone;
      if (rehearsal) {
        state = perRun.get(rehearsal) ?? { admitted: new Set(), entries: new Map(), memo: gateMemo() };
        perRun.set(rehearsal, state);
      }
      const { admitted, entries: entryOf, memo } = state;
      const evaluate = new Set<RenderedObject>();
      const entries = scenario.objects.map((o) => {
        let entry = entryOf.get(o);
        if (entry?.object !== o.object) {
          entry = { path: describeOrigin(o), object: o.object };
          entryOf.set(o, entry);
        }
        if (!admitted.has(o)) {
          admitted.add(o);
          evaluate.add(entry);
        }
        return entry;
      });
      const report = runGate([{ name: scenario.name, objects: entries }], {
        policiesDir,
        policySet,
        memo,
        evaluate: (o) => evaluate.has(o),
        ...(options.now ? { now: options.now } : {}),
      });
      const findings: Finding[] = [];
      for (const f of report.environments.flatMap((e) => e.findings)) {
        const severity = severityOf(f);
        if (!severity) continue;
        findings.push({
          check: 'admission',
          severity,
          subject: f.resource,
          message: `${f.policy}${f.rule ? `/${f.rule}` : ''} ${f.severity === 'deny' ? 'denies' : f.severity}: ${f.message} (${f.file})`,
        });
      }
      return findings;
    },
  };
}

/** What the check keeps while it admits the scenarios of one rehearsal. */
interface Admitted {
  /** A Set or WeakSet. */
  admitted: { has(o: ClusterObject): boolean; add(o: ClusterObject): unknown };
  /** A Map or WeakMap. */
  entries: {
    get(o: ClusterObject): RenderedObject | undefined;
    set(o: ClusterObject, e: RenderedObject): unknown;
  };
  memo: GateMemo;
}

function severityOf(f: GateFinding): Finding['severity'] | undefined {
  if (f.severity === 'deny' || f.severity === 'error' || f.severity === 'exception') return 'error';
  if (f.severity === 'audit' || f.severity === 'warn') return 'warning';
  return undefined;
}

/** The admission check with the repository's policies. */
export const admission = admissionCheck();
